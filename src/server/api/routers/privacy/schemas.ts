import { z } from "zod";

import { ZId, ZPage, ZPageInput } from "../../schemas";

export const ZConsentListInput = ZPageInput;
export const ZConsentRow = z.object({
  id: ZId,
  provider: z.enum(["MERCADOLIVRE", "SHOPEE", "INSTAGRAM", "TIKTOK", "YOUTUBE"]),
  version: z.string(),
  action: z.enum(["GRANTED", "WITHDRAWN"]),
  connectionId: z.string().nullable(),
  createdAt: z.date(),
  /** The person's name; "Usuário removido" once their account was erased, null if unknown. */
  by: z.string().nullable(),
});
export const ZConsentPage = ZPage(ZConsentRow);
