import { z } from "zod";

import { PASSWORD_MAX_LENGTH } from "~/server/auth/password";

export const ZSessionItem = z.object({
  id: z.string(),
  kind: z.enum(["WEB", "API"]),
  ip: z.string().nullable(),
  browser: z.string().nullable(),
  os: z.string().nullable(),
  device: z.string().nullable(),
  createdAt: z.date(),
  lastSeenAt: z.date(),
  expiresAt: z.date(),
  current: z.boolean(),
});

export const ZRevokeSessionInput = z.object({ id: z.string().min(1).max(64) });
export const ZRevokeSessionOutput = z.object({ ok: z.literal(true), current: z.boolean() });
export const ZRevokeManyOutput = z.object({ revoked: z.number().int() });

export const ZChangePasswordInput = z.object({
  currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH * 4),
  newPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH * 4),
});
export const ZChangePasswordOutput = z.object({ ok: z.literal(true), revokedSessions: z.number().int() });
