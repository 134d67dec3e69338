import { z } from "zod";

import { ZId, ZProvider } from "../../schemas";

export const ZConnectionStatus = z.enum(["ACTIVE", "NEEDS_RECONNECT", "ERROR", "DISCONNECTED"]);

export const ZConnection = z.object({
  id: ZId,
  provider: ZProvider,
  kind: z.enum(["MARKETPLACE", "SOCIAL"]),
  externalAccountId: z.string(),
  accountName: z.string().nullable(),
  status: ZConnectionStatus,
  expiresAt: z.date().nullable(),
  lastSyncAt: z.date().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.date(),
});

export const ZConnectionCard = ZConnection.extend({
  blockedUntil: z.date().nullable(),
  consentVersion: z.string().nullable(),
  consentAt: z.date().nullable(),
  sync: z
    .object({
      state: z.enum(["IDLE", "RUNNING", "COMPLETED", "FAILED"]),
      mode: z.string(),
      processed: z.number().int(),
      total: z.number().int().nullable(),
      startedAt: z.date().nullable(),
      finishedAt: z.date().nullable(),
      lastError: z.string().nullable(),
    })
    .nullable(),
});

export const ZConnectionIdInput = z.object({ connectionId: ZId });

export const ZProviderInfo = z.object({
  provider: ZProvider,
  kind: z.enum(["MARKETPLACE", "SOCIAL"]),
  slug: z.string(),
  consentVersion: z.string(),
  sandbox: z.boolean(),
});

/** Open circuit breakers that affect the organization (services/resilience/provider-status.ts). */
export const ZProviderStatus = z.object({
  timeZone: z.string(),
  circuits: z.array(
    z.object({
      scope: z.enum(["provider", "connection"]),
      provider: ZProvider,
      connectionId: ZId.nullable(),
      accountName: z.string().nullable(),
      state: z.enum(["OPEN", "HALF_OPEN"]),
      resumesAt: z.date().nullable(),
    }),
  ),
});
