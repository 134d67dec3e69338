import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { hashPassword } from "~/server/auth/password";
import { AppError } from "~/server/lib/errors";
import { authenticate } from "~/server/services/accounts/accounts";
import { isSessionLive, sessionJwt, type SessionToken, setSessionDenylist } from "~/server/services/accounts/sessions";
import { banUser } from "~/server/services/platform/admin";
import { callerFor, createOrgFixture, db, type OrgFixture, uniqueEmail } from "./helpers/fixtures";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const PREFIX = `ss-sess-test-${process.pid}`;
const PASSWORD = "pitanga vermelha 64 correndo";
const CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const request = { correlationId: "sessions-test", ip: "198.51.100.40", userAgent: "vitest" };

let redis: Redis;
beforeAll(() => {
  redis = new Redis(REDIS_URL);
});
afterEach(() => setSessionDenylist({ url: undefined }));
afterAll(async () => {
  const keys = await redis.keys(`${PREFIX}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  setSessionDenylist(null);
});

async function person() {
  const email = uniqueEmail("sess");
  const user = await db.user.create({ data: { email, name: "Sessão Pessoa", passwordHash: await hashPassword(PASSWORD) } });
  return { userId: user.id, email };
}

/** What the jwt callback does at sign-in: a token with its session id. */
async function signIn(userId: string, userAgent = CHROME) {
  const token = await sessionJwt(db, { sub: userId } as SessionToken, { id: userId }, () => Promise.resolve({ ip: "203.0.113.7", userAgent }));
  return token!.sid as string;
}

/** The next auth() of that browser: the token back, or null (signed out). */
const nextRead = (userId: string, sid: string) => sessionJwt(db, { sub: userId, sid }, undefined, () => Promise.resolve({}));

async function callerAs(userId: string, sessionId?: string, headers: Record<string, string> = {}) {
  const ctx = await createTRPCContext({ headers: new Headers({ "x-forwarded-for": "198.51.100.41", "user-agent": "vitest", ...headers }), sessionUser: { id: userId, ...(sessionId ? { sessionId } : {}) } });
  return createCaller(ctx);
}

async function reason(call: () => Promise<unknown>) {
  try {
    await call();
    return "OK";
  } catch (error) {
    if (error instanceof AppError) return `${error.code}:${error.reason}`;
    const e = error as { code?: string; cause?: unknown };
    return `${e.code}:${e.cause instanceof AppError ? e.cause.reason : ""}`;
  }
}

describe("sign-in", () => {
  it("opens a WEB session with ip, user agent, expiry and a fresh step-up, and puts its id in the token", async () => {
    const { userId } = await person();
    const before = Date.now();
    const sid = await signIn(userId);
    const row = await db.userSession.findUniqueOrThrow({ where: { id: sid } });
    expect(row).toMatchObject({ userId, kind: "WEB", ip: "203.0.113.7", userAgent: CHROME, revokedAt: null });
    expect(row.stepUpAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const days = (row.expiresAt.getTime() - row.createdAt.getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(30);
    expect(await nextRead(userId, sid)).toMatchObject({ sub: userId, sid });
  });

  it("signs out a token without a session id (issued before sessions were tracked), unknown ids and another user's id", async () => {
    const { userId } = await person();
    const other = await person();
    const sid = await signIn(other.userId);
    expect(await sessionJwt(db, { sub: userId }, undefined, () => Promise.resolve({}))).toBeNull();
    expect(await nextRead(userId, "no-such-session")).toBeNull();
    expect(await nextRead(userId, sid)).toBeNull();
  });

  it("signs out an expired session", async () => {
    const { userId } = await person();
    const sid = await signIn(userId);
    await db.userSession.update({ where: { id: sid }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await nextRead(userId, sid)).toBeNull();
  });
});

describe("revocation", () => {
  it("without Redis: the database ends the session at its next read", async () => {
    const { userId } = await person();
    const sid = await signIn(userId);
    expect(await reason(async () => (await callerAs(userId, sid)).security.sessions.revoke({ id: sid }))).toBe("OK");
    expect(await nextRead(userId, sid)).toBeNull();
    const audit = await db.auditLog.findFirstOrThrow({ where: { actorUserId: userId, action: "session.revoked" } });
    expect(audit.targetId).toBe(sid);
  });

  it("with Redis: revocations go on the denylist (TTL until expiry), which is checked first", async () => {
    setSessionDenylist({ url: REDIS_URL, prefix: PREFIX });
    const { userId } = await person();
    const sid = await signIn(userId);
    await (await callerAs(userId, sid)).security.sessions.revokeAll();
    expect(await redis.exists(`${PREFIX}:session:revoked:${sid}`)).toBe(1);
    const ttl = await redis.ttl(`${PREFIX}:session:revoked:${sid}`);
    expect(ttl).toBeGreaterThan(29 * 86_400);
    expect(await nextRead(userId, sid)).toBeNull();

    // The denylist alone refuses: a session whose row says live but which is listed is out.
    const listed = await signIn(userId);
    await redis.set(`${PREFIX}:session:revoked:${listed}`, "1", "EX", 60);
    expect(await nextRead(userId, listed)).toBeNull();
  });

  it("with Redis unreachable: the database decides (never allow)", async () => {
    setSessionDenylist({ url: "redis://127.0.0.1:1", prefix: PREFIX });
    const { userId } = await person();
    const live = await signIn(userId);
    const revoked = await signIn(userId);
    await (await callerAs(userId, revoked)).security.sessions.revoke({ id: revoked });
    expect(await nextRead(userId, revoked)).toBeNull();
    expect(await nextRead(userId, live)).toMatchObject({ sid: live });
  });

  it("revokeOthers keeps the current session and ends the rest; revokeAll ends the current one too", async () => {
    const { userId } = await person();
    const [current, a, b] = [await signIn(userId), await signIn(userId), await signIn(userId)];
    const caller = await callerAs(userId, current);
    expect(await caller.security.sessions.revokeOthers()).toEqual({ revoked: 2 });
    expect(await nextRead(userId, current)).not.toBeNull();
    expect(await nextRead(userId, a)).toBeNull();
    expect(await nextRead(userId, b)).toBeNull();
    expect(await db.auditLog.count({ where: { actorUserId: userId, action: "session.revoked_all" } })).toBe(1);
    expect(await caller.security.sessions.revokeAll()).toEqual({ revoked: 1 });
    expect(await nextRead(userId, current)).toBeNull();
  });

  it("another user's session id is NOT_FOUND and stays live", async () => {
    const owner = await person();
    const other = await person();
    const sid = await signIn(owner.userId);
    expect(await reason(async () => (await callerAs(other.userId)).security.sessions.revoke({ id: sid }))).toBe("NOT_FOUND:notFound");
    expect(await nextRead(owner.userId, sid)).not.toBeNull();
  });

  it("a ban ends every session of the user", async () => {
    const { userId } = await person();
    const sid = await signIn(userId);
    const admin = await db.user.create({ data: { email: uniqueEmail("admin"), name: "Admin", passwordHash: "x", isPlatformAdmin: true } });
    await banUser({ db, userId: admin.id, request, log: (await import("~/server/lib/logger")).logger } as never, { userId, reason: "spam" });
    expect(await nextRead(userId, sid)).toBeNull();
  });
});

describe("session list", () => {
  it("lists live sessions, the current one first, with browser and OS parsed", async () => {
    const { userId } = await person();
    const other = await signIn(userId, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1");
    const current = await signIn(userId);
    const gone = await signIn(userId);
    await (await callerAs(userId, current)).security.sessions.revoke({ id: gone });
    const list = await (await callerAs(userId, current)).security.sessions.list();
    expect(list.map((s) => s.id)).toEqual([current, other]);
    expect(list[0]).toMatchObject({ current: true, kind: "WEB", browser: "Chrome 131", os: "Windows 10", device: "desktop", ip: "203.0.113.7" });
    expect(list[1]).toMatchObject({ current: false, browser: "Safari 17", os: "iOS", device: "mobile" });
  });

  it("records last seen at most once a minute", async () => {
    const { userId } = await person();
    const sid = await signIn(userId);
    const t0 = Date.now() + 5 * 60_000;
    expect(await isSessionLive(db, sid, { now: new Date(t0), ip: "198.51.100.50" })).toBe(true);
    const seen = async () => (await db.userSession.findUniqueOrThrow({ where: { id: sid } })).lastSeenAt.getTime();
    expect(await seen()).toBe(t0);
    expect((await db.userSession.findUniqueOrThrow({ where: { id: sid } })).ip).toBe("198.51.100.50");
    await isSessionLive(db, sid, { now: new Date(t0 + 30_000) });
    expect(await seen()).toBe(t0);
    await isSessionLive(db, sid, { now: new Date(t0 + 61_000) });
    expect(await seen()).toBe(t0 + 61_000);
  });
});

describe("password change", () => {
  it("refuses a wrong current password and a weak new one", async () => {
    const { userId } = await person();
    const caller = await callerAs(userId, await signIn(userId));
    expect(await reason(() => caller.security.sessions.changePassword({ currentPassword: "errada errada 1", newPassword: "abacate verde 77 nadando" }))).toBe("BAD_REQUEST:currentPasswordWrong");
    expect(await reason(() => caller.security.sessions.changePassword({ currentPassword: PASSWORD, newPassword: "curta" }))).toBe("BAD_REQUEST:password.tooShort");
  });

  it("changes it, keeps this session, ends the others and API tokens, audits", async () => {
    const { userId, email } = await person();
    const current = await signIn(userId);
    const other = await signIn(userId);
    const login = await (await callerFor(null, "198.51.100.60")).auth.login({ email, password: PASSWORD });
    const result = await (await callerAs(userId, current)).security.sessions.changePassword({ currentPassword: PASSWORD, newPassword: "abacate verde 77 nadando" });
    expect(result).toEqual({ ok: true, revokedSessions: 2 });
    expect(await nextRead(userId, current)).not.toBeNull();
    expect(await nextRead(userId, other)).toBeNull();
    expect(await reason(async () => (await callerAs(userId, undefined, { authorization: `Bearer ${login.token}` })).tenants.mine())).toBe("UNAUTHORIZED:invalidCredential");
    expect(await reason(() => authenticate(db, request, { email, password: PASSWORD }))).toBe("UNAUTHORIZED:invalidCredentials");
    expect(await reason(() => authenticate(db, request, { email, password: "abacate verde 77 nadando" }))).toBe("OK");
    const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
    expect(user.passwordChangedAt).not.toBeNull();
    expect(await db.auditLog.count({ where: { actorUserId: userId, action: "user.password_changed" } })).toBe(1);
  });
});

describe("API access tokens", () => {
  it("each token has an API session in the list; revoking it ends the token at its next call", async () => {
    const { userId, email } = await person();
    const org = await createOrgFixture("sess-api");
    await db.membership.create({ data: { organizationId: org.organizationId, userId, role: "VIEWER" } });
    const login = await (await callerFor(null, "198.51.100.61")).auth.login({ email, password: PASSWORD });
    const viaToken = () => callerAs(userId, undefined, { authorization: `Bearer ${login.token}` });
    expect(await reason(async () => (await viaToken()).tenants.mine())).toBe("OK");
    const current = await signIn(userId);
    const list = await (await callerAs(userId, current)).security.sessions.list();
    const api = list.find((s) => s.kind === "API");
    expect(api).toBeDefined();
    await (await callerAs(userId, current)).security.sessions.revoke({ id: api!.id });
    expect(await reason(async () => (await viaToken()).tenants.mine())).toBe("UNAUTHORIZED:invalidCredential");
  });
});

describe("membership removal", () => {
  let a: OrgFixture;
  let b: OrgFixture;
  beforeAll(async () => {
    [a, b] = [await createOrgFixture("sess-a"), await createOrgFixture("sess-b")];
  });

  it("the removed member's next call to that organization fails; the same session still works elsewhere", async () => {
    const { userId } = await person();
    await db.membership.create({ data: { organizationId: b.organizationId, userId, role: "VIEWER" } });
    const inA = await db.membership.create({ data: { organizationId: a.organizationId, userId, role: "VIEWER" } });
    await db.user.update({ where: { id: userId }, data: { activeOrganizationId: a.organizationId } });
    const sid = await signIn(userId);
    const me = await callerAs(userId, sid);
    expect((await me.tenants.current()).organization.id).toBe(a.organizationId);
    expect(await reason(() => me.listings.get({ id: a.listingId }))).toBe("OK");

    // members.remove asks for a recent sign-in (step-up): callerFor gives the owner a fresh session.
    await (await callerFor(a.users.OWNER.userId)).tenants.members.remove({ membershipId: inA.id });

    expect(await reason(() => me.listings.get({ id: a.listingId }))).toBe("NOT_FOUND:notFound");
    expect(await reason(() => me.tenants.switch({ organizationId: a.organizationId }))).toBe("NOT_FOUND:notFound");
    expect(await nextRead(userId, sid)).not.toBeNull();
    expect((await me.tenants.current()).organization.id).toBe(b.organizationId);
    expect(await reason(() => me.listings.get({ id: b.listingId }))).toBe("OK");
  });
});
