import "server-only";

import type { ApiScope } from "~/server/auth/scopes";
import { AppError, notFound } from "~/server/lib/errors";
import { randomToken, sha256 } from "~/server/lib/crypto";
import {
  apiKeyBelongsTo,
  type ApiKeyRow,
  countActiveApiKeys,
  createApiKey as insertApiKey,
  findApiKey,
  listApiKeys as listApiKeyRows,
  lockApiKeysOf,
  membersAmong,
  revokeApiKey as markRevoked,
} from "~/server/repositories/api-keys";
import { audit } from "../audit";
import type { TenantCtx } from "../context";
import { API_KEY_PREFIX } from "./credential-types";

/** Live (neither revoked nor expired) keys an organization may hold at once. */
export const MAX_ACTIVE_API_KEYS = 20;
/** How far ahead an expiry may be set. */
export const MAX_API_KEY_LIFETIME_DAYS = 730;
/** Characters of the key kept in clear to tell keys apart ("ssk_" + 8). */
export const API_KEY_PREFIX_LENGTH = 12;

/**
 * ACTIVE: works. EXPIRED / REVOKED: refused. ORPHANED: its creator is no longer an active member
 * of the organization (left, removed, banned or deleted), so it acts for nobody (trpc.ts refuses
 * it) even though it was never revoked.
 */
export type ApiKeyStatus = "ACTIVE" | "EXPIRED" | "REVOKED" | "ORPHANED";

const who = (ctx: TenantCtx) => ({ organizationId: ctx.tenant.organizationId, userId: ctx.tenant.userId, request: ctx.request });

function present(row: ApiKeyRow, creatorIsMember: boolean, now: Date) {
  const status: ApiKeyStatus = row.revokedAt
    ? "REVOKED"
    : row.expiresAt && row.expiresAt <= now
      ? "EXPIRED"
      : creatorIsMember
        ? "ACTIVE"
        : "ORPHANED";
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdBy: { id: row.createdById, name: row.createdBy.name },
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    lastUsedIp: row.lastUsedIp,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    status,
  };
}

export type ApiKeyView = ReturnType<typeof present>;

/** The organization's keys, newest first (never the key itself nor its hash). */
export async function listApiKeys(ctx: TenantCtx, input: { limit: number; cursor?: string }, now = new Date()) {
  const orgId = ctx.tenant.organizationId;
  // A cursor is a key id: another organization's id is "not found", never a page of ours.
  if (input.cursor && !(await apiKeyBelongsTo(ctx.db, orgId, input.cursor))) throw notFound("API key");
  const page = await listApiKeyRows(ctx.db, orgId, input);
  const members = await membersAmong(ctx.db, orgId, [...new Set(page.items.map((k) => k.createdById))]);
  return { items: page.items.map((row) => present(row, members.has(row.createdById), now)), nextCursor: page.nextCursor };
}

export type CreateApiKeyInput = { name: string; scopes: ApiScope[]; expiresAt?: Date | null };

/**
 * Mints a key for the organization, acting as the caller. The plaintext is returned here once and
 * never again: only its SHA-256 is stored (and never logged or audited).
 */
export async function createApiKey(ctx: TenantCtx, input: CreateApiKeyInput, now = new Date()) {
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt && expiresAt.getTime() <= now.getTime()) {
    throw new AppError("BAD_REQUEST", "apiKeyExpiryPast", "The expiry date must be in the future", { field: "expiresAt" });
  }
  if (expiresAt && expiresAt.getTime() > now.getTime() + MAX_API_KEY_LIFETIME_DAYS * 86_400_000) {
    throw new AppError("BAD_REQUEST", "apiKeyExpiryTooFar", "A key may last at most two years", { field: "expiresAt", maxDays: MAX_API_KEY_LIFETIME_DAYS });
  }
  const scopes = [...new Set(input.scopes)];
  const key = `${API_KEY_PREFIX}${randomToken(32)}`;
  const orgId = ctx.tenant.organizationId;

  return ctx.db.$transaction(async (tx) => {
    await lockApiKeysOf(tx, orgId);
    const active = await countActiveApiKeys(tx, orgId, now);
    if (active >= MAX_ACTIVE_API_KEYS) {
      throw new AppError("CONFLICT", "apiKeyLimit", `An organization may have at most ${MAX_ACTIVE_API_KEYS} active API keys`, { max: MAX_ACTIVE_API_KEYS });
    }
    const row = await insertApiKey(tx, {
      organizationId: orgId,
      name: input.name.trim(),
      prefix: key.slice(0, API_KEY_PREFIX_LENGTH),
      keyHash: sha256(key),
      scopes,
      expiresAt,
      createdById: ctx.tenant.userId,
    });
    await audit(tx, who(ctx), "api_key.created", { type: "api_key", id: row.id }, {
      name: row.name,
      prefix: row.prefix,
      scopes,
      expiresAt: expiresAt?.toISOString() ?? null,
    });
    return { apiKey: present(row, true, now), key };
  });
}

/** Revokes a key at once. Another organization's id: NOT_FOUND; an already revoked key: CONFLICT. */
export async function revokeApiKey(ctx: TenantCtx, input: { id: string }, now = new Date()) {
  const orgId = ctx.tenant.organizationId;
  return ctx.db.$transaction(async (tx) => {
    const existing = await findApiKey(tx, orgId, input.id);
    if (!existing) throw notFound("API key");
    if (!(await markRevoked(tx, orgId, input.id, now))) {
      throw new AppError("CONFLICT", "apiKeyAlreadyRevoked", "This API key was already revoked");
    }
    await audit(tx, who(ctx), "api_key.revoked", { type: "api_key", id: existing.id }, { name: existing.name, prefix: existing.prefix });
    const row = await findApiKey(tx, orgId, input.id);
    const members = await membersAmong(tx, orgId, [existing.createdById]);
    return present(row!, members.has(existing.createdById), now);
  });
}
