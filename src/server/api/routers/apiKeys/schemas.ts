/** The apiKeys router's contract (Settings → API keys). Implemented by services/developer/api-keys. */
import { z } from "zod";

import { API_SCOPES } from "~/server/auth/scopes";
import { ZId, ZPageInput } from "../../schemas";

export const ZApiScope = z.enum(API_SCOPES);
export const ZApiKeyStatus = z.enum(["ACTIVE", "EXPIRED", "REVOKED", "ORPHANED"]);

export const ZApiKey = z.object({
  id: z.string(),
  name: z.string(),
  /** The first 12 characters (`ssk_` + 8): enough to tell keys apart, useless to call with. */
  prefix: z.string(),
  scopes: z.array(z.string()),
  createdBy: z.object({ id: z.string(), name: z.string() }),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  lastUsedIp: z.string().nullable(),
  expiresAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  status: ZApiKeyStatus,
});
export type TApiKey = z.infer<typeof ZApiKey>;

export const ZApiKeyListInput = ZPageInput;

export const ZCreateApiKeyInput = z.object({
  name: z.string().trim().min(1).max(60),
  scopes: z
    .array(ZApiScope)
    .min(1)
    .max(API_SCOPES.length)
    .refine((scopes) => new Set(scopes).size === scopes.length, { message: "Scopes must be unique" }),
  /** Absent or null: the key never expires. Must be in the future and at most two years ahead (checked by the service). */
  expiresAt: z.coerce.date().nullish(),
});
export type TCreateApiKeyInput = z.infer<typeof ZCreateApiKeyInput>;

/** The plaintext `key` is in this response only: it is never stored nor shown again. */
export const ZCreateApiKeyOutput = z.object({ apiKey: ZApiKey, key: z.string() });

export const ZRevokeApiKeyInput = z.object({ id: ZId });
