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

export const ZSignUpOutput = z.object({ userId: ZId, organizationId: ZId, id: ZId, email: z.string(), name: z.string() });

/** POST /api/v1/auth/register: the new account, never its password hash nor anything internal. */
export const ZRegisterRestOutput = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  /** The organization created with the account (the user's active one). */
  organizationId: z.string(),
});

export const ZLoginInput = z.object({
  email: ZEmail,
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  /** The second factor, for accounts with two-factor authentication on: a 6-digit TOTP code or an unused recovery code. */
  otp: z
    .string()
    .trim()
    .max(64)
    .optional()
    .transform((v) => v || undefined)
    .meta({ description: "Accounts with two-factor authentication on: the 6-digit code from the authenticator app, or an unused recovery code (each works once)." }),
});

/** A short-lived access token (`sst_…`): send it as `Authorization: Bearer <token>` until `expiresAt`. */
export const ZLoginOutput = z.object({
  token: z.string(),
  tokenType: z.literal("Bearer"),
  expiresAt: z.date(),
});
