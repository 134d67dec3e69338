import "server-only";

import type { Db } from "~/server/db";
import { AppError } from "~/server/lib/errors";
import { sha256 } from "~/server/lib/crypto";
import { findApiKeyByHash, touchApiKey } from "~/server/repositories/api-keys";
import { isSessionLive } from "../accounts/sessions";
import { readAccessToken } from "./access-tokens";
import { API_KEY_PREFIX, type Credential } from "./credential-types";

// lastUsedAt is written at most once a minute per key: a busy integration would otherwise turn
// every read into a write.
const TOUCH_EVERY_MS = 60_000;

const invalid = () => new AppError("UNAUTHORIZED", "invalidCredential", "Invalid, expired or revoked credential");

/**
 * Resolves an `Authorization: Bearer …` header into a credential. No header: null. A header that
 * is not a valid, live key or token: AppError UNAUTHORIZED (`invalidCredential`), never a fall back
 * to the cookie session. Keys are looked up by their SHA-256 (they carry 256 random bits, so a
 * fast hash is enough; the plaintext is never stored).
 */
export async function resolveBearer(db: Db, authorization: string | null, meta: { ip?: string }, now = new Date()): Promise<Credential | null> {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw invalid();
  const value = match[1]!;

  if (value.startsWith(API_KEY_PREFIX)) {
    const key = await findApiKeyByHash(db, sha256(value));
    if (!key || key.revokedAt || (key.expiresAt && key.expiresAt <= now)) throw invalid();
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= TOUCH_EVERY_MS) await touchApiKey(db, key.id, now, meta.ip);
    return { kind: "apiKey", apiKeyId: key.id, organizationId: key.organizationId, userId: key.createdById, scopes: key.scopes };
  }

  const claims = readAccessToken(value, now);
  // A token without a session row cannot be revoked, so it is not accepted.
  if (!claims?.sessionId || !(await isSessionLive(db, claims.sessionId, { userId: claims.userId, ip: meta.ip, now }))) throw invalid();
  return { kind: "token", userId: claims.userId };
}
