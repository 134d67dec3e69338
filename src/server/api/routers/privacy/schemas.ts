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

// ─── Erasure ───

/** The typed confirmation: the person's e-mail (account) or the organization's name. */
export const ZErasureConfirmation = z.object({ confirmation: z.string().trim().min(1).max(320) });

const ZOrgRef = z.object({ organizationId: ZId, name: z.string() });
export const ZAccountErasurePreview = z.object({
  email: z.string(),
  kept: z.array(ZOrgRef.extend({ role: z.string() })),
  erased: z.array(ZOrgRef),
  blocking: z.array(ZOrgRef.extend({ members: z.number().int() })),
  allowed: z.boolean(),
  backupRetentionDays: z.number().int(),
});
export const ZAccountErased = z.object({ erased: z.literal(true), organizationsLeft: z.number().int(), organizationsErased: z.number().int() });
export const ZOrganizationErased = z.object({ erased: z.literal(true), requestedAt: z.date(), backupRetentionDays: z.number().int() });
