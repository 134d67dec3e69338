import { z } from "zod";

import { PASSWORD_MAX_LENGTH } from "~/server/auth/password";
import { ZEmail, ZId, ZLocale, ZOrganizationName, ZPersonName } from "../../schemas";

export const ZSignUpInput = z.object({
  name: ZPersonName,
  email: ZEmail,
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  organizationName: ZOrganizationName.optional(),
  locale: ZLocale.default("pt-BR"),
});
export type TSignUpInput = z.infer<typeof ZSignUpInput>;

export const ZSignUpOutput = z.object({ userId: ZId, organizationId: ZId });
