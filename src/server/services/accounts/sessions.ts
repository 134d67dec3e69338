import Bowser from "bowser";

import { env } from "~/env";
import type { DbOrTx } from "~/server/db";
import { notFound } from "~/server/lib/errors";
import { logger } from "~/server/lib/logger";
import { rateLimitStoreReady, redisClient, type RateLimitStore } from "~/server/lib/rate-limit";
import {
  createSession,
  findSessionState,
  listUserSessions,
  revokeLiveSessions,
  revokeOwnSession,
  touchSession,
} from "~/server/repositories/sessions";
import { audit } from "../audit";
import type { RequestMeta, UserCtx } from "../context";

// ─── Denylist (Redis) ─────────────────────────────────────────────────────────────────────

type Denylist = { url: string | undefined; prefix: string };
let denylist: Denylist = { url: env.REDIS_URL, prefix: "ss" };

/** Tests point the denylist at their own Redis prefix (or turn it off with `url: undefined`). */
export function setSessionDenylist(next: Partial<Denylist> | null) {
  denylist = next ? { ...denylist, ...next } : { url: env.REDIS_URL, prefix: "ss" };
}

const deniedKey = (sid: string) => `${denylist.prefix}:session:revoked:${sid}`;

/** Best effort: the database row is the truth, the denylist only answers faster. */
async function denyInRedis(sessions: { id: string; expiresAt: Date }[], now = new Date()) {
  if (!denylist.url || sessions.length === 0) return;
  try {
    // The client connects lazily and refuses commands until then: give it a moment.
    await rateLimitStoreReady(denylist.url as RateLimitStore, 1000);
    const pipeline = redisClient(denylist.url as RateLimitStore).pipeline();
    for (const s of sessions) {
      const ttl = Math.ceil((s.expiresAt.getTime() - now.getTime()) / 1000);
      if (ttl > 0) pipeline.set(deniedKey(s.id), "1", "EX", ttl);
    }
    await pipeline.exec();
  } catch (error) {
    logger.warn({ err: { message: (error as Error).message } }, "session denylist (Redis) unreachable; the database still refuses");
  }
}

/** "denied", "unknown" (not on the list) or null when Redis cannot answer. */
async function deniedInRedis(sid: string): Promise<"denied" | "unknown" | null> {
  if (!denylist.url) return null;
  try {
    const client = redisClient(denylist.url as RateLimitStore);
    // Not connected (yet, or any more): the database answers rather than waiting on every request.
    if (client.status !== "ready") return null;
    return (await redisClient(denylist.url as RateLimitStore).exists(deniedKey(sid))) ? "denied" : "unknown";
  } catch {
    return null;
  }
}

// ─── Starting and checking sessions ───────────────────────────────────────────────────────

const TOUCH_EVERY_MS = 60_000;
const lastTouched = new Map<string, number>();

const maxAgeMs = () => env.SESSION_MAX_AGE_DAYS * 24 * 60 * 60 * 1000;

/**
 * A fresh sign-in: one WEB row per browser. stepUpAt = now because typing the password (and the
 * second factor) just now is as good a re-confirmation as any for sensitive operations.
 */
export async function startWebSession(db: DbOrTx, input: { userId: string; ip?: string; userAgent?: string }, now = new Date()) {
  return createSession(db, {
    userId: input.userId,
    kind: "WEB",
    ip: input.ip,
    userAgent: input.userAgent?.slice(0, 500),
    expiresAt: new Date(now.getTime() + maxAgeMs()),
    stepUpAt: now,
  });
}

/** The API-kind row behind an `sst_` access token (listed as "API token", revocable like any other). */
export async function startApiSession(db: DbOrTx, input: { userId: string; ip?: string; userAgent?: string; expiresAt: Date }) {
  return createSession(db, { userId: input.userId, kind: "API", ip: input.ip, userAgent: input.userAgent?.slice(0, 500), expiresAt: input.expiresAt });
}

/**
 * True while the session may still be used: not revoked, not expired, still there. With Redis a
 * session on the denylist is refused without touching the database; a Redis failure asks the
 * database (never "allow" blindly). Also records "last seen" at most once a minute.
 */
export async function isSessionLive(db: DbOrTx, sid: string, opts: { userId?: string; ip?: string; now?: Date } = {}): Promise<boolean> {
  const now = opts.now ?? new Date();
  if ((await deniedInRedis(sid)) === "denied") return false;
  const row = await findSessionState(db, sid);
  if (!row || row.revokedAt || row.expiresAt <= now || (opts.userId && row.userId !== opts.userId)) return false;
  const last = lastTouched.get(sid) ?? 0;
  if (now.getTime() - last >= TOUCH_EVERY_MS) {
    lastTouched.set(sid, now.getTime());
    if (lastTouched.size > 10_000) lastTouched.clear();
    await touchSession(db, sid, now, new Date(now.getTime() - TOUCH_EVERY_MS), opts.ip);
  }
  return true;
}

/** The fields the JWT carries besides next-auth's own. */
export type SessionToken = { sub?: string; sid?: unknown; [key: string]: unknown };

/**
 * The jwt callback's logic. On sign-in (`user` set) it opens a session row and puts its id in the
 * token; afterwards every read checks that row. null = sign the person out (next-auth then clears
 * the cookie and `auth()` answers no session).
 */
export async function sessionJwt<T extends SessionToken>(
  db: DbOrTx,
  token: T,
  user: { id?: string } | undefined,
  request: () => Promise<{ ip?: string; userAgent?: string }>,
): Promise<T | null> {
  if (user?.id) {
    const meta = await request().catch(() => ({}) as { ip?: string; userAgent?: string });
    const session = await startWebSession(db, { userId: user.id, ...meta });
    return { ...token, sub: user.id, sid: session.id };
  }
  // Tokens issued before sessions were tracked have no sid: they end here.
  if (typeof token.sid !== "string" || !token.sub) return null;
  const live = await isSessionLive(db, token.sid, { userId: token.sub });
  return live ? token : null;
}

/** Signs a user out everywhere (password change, "sign out everywhere", a ban…). */
export async function revokeUserSessions(
  db: DbOrTx,
  userId: string,
  reason: string,
  opts: { exceptSessionId?: string } = {},
): Promise<number> {
  const ended = await revokeLiveSessions(db, userId, reason, opts.exceptSessionId);
  await denyInRedis(ended);
  return ended.length;
}

// ─── The session list ─────────────────────────────────────────────────────────────────────

export function describeDevice(userAgent: string | null) {
  if (!userAgent) return { browser: null, os: null, device: null };
  const parsed = Bowser.parse(userAgent);
  const version = parsed.browser.version?.split(".")[0];
  return {
    browser: parsed.browser.name ? `${parsed.browser.name}${version ? ` ${version}` : ""}` : null,
    os: parsed.os.name ? `${parsed.os.name}${parsed.os.versionName ? ` ${parsed.os.versionName}` : ""}` : null,
    device: parsed.platform.type ?? null,
  };
}

export async function listSessions(ctx: UserCtx, now = new Date()) {
  const rows = await listUserSessions(ctx.db, ctx.userId, now);
  return rows
    .map((row) => ({
      id: row.id,
      kind: row.kind,
      ip: row.ip,
      ...describeDevice(row.userAgent),
      createdAt: row.createdAt,
      lastSeenAt: row.lastSeenAt,
      expiresAt: row.expiresAt,
      current: row.id === ctx.sessionId,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

const who = (ctx: { userId: string; request: RequestMeta }) => ({ organizationId: null, userId: ctx.userId, request: ctx.request });

export async function revokeSession(ctx: UserCtx, id: string) {
  const ended = await ctx.db.$transaction(async (tx) => {
    const row = await revokeOwnSession(tx, ctx.userId, id, "user");
    if (!row) throw notFound("Session");
    await audit(tx, who(ctx), "session.revoked", { type: "session", id });
    return row;
  });
  await denyInRedis([ended]);
  return { ok: true as const, current: id === ctx.sessionId };
}

/** `keepCurrent`: "sign out of every other device"; otherwise everything, this one included. */
export async function revokeAllSessions(ctx: UserCtx, keepCurrent: boolean) {
  const ended = await ctx.db.$transaction(async (tx) => {
    const rows = await revokeLiveSessions(tx, ctx.userId, keepCurrent ? "user_others" : "user_all", keepCurrent ? ctx.sessionId : undefined);
    await audit(tx, who(ctx), "session.revoked_all", { type: "user", id: ctx.userId }, { count: rows.length, keptCurrent: keepCurrent });
    return rows;
  });
  await denyInRedis(ended);
  return { revoked: ended.length };
}
