/**
 * API keys and access tokens end to end through the real tRPC context (createTRPCContext with an
 * `authorization` header, as /api/trpc and /api/v1 build it) against PostgreSQL: the plaintext key
 * is shown once and only its hash is stored; a key acts for its organization only, within its
 * scopes and its creator's current role; revoked, expired, garbage and orphaned credentials are
 * refused (never downgraded to the session); `auth.login` answers a token that acts as the user.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { hashPassword } from "~/server/auth/password";
import { sha256 } from "~/server/lib/crypto";
import { startApiSession } from "~/server/services/accounts/sessions";
import { issueAccessToken, verifyAccessToken } from "~/server/services/developer/access-tokens";
import { MAX_ACTIVE_API_KEYS } from "~/server/services/developer/api-keys";
import { callerFor, createOrgFixture, db, type OrgFixture, uniqueEmail } from "./helpers/fixtures";

const KEY_IP = "198.51.100.77";

/** A caller whose request carries `Authorization: <value>` (and, to prove it is ignored, a session). */
async function callerWithBearer(value: string, opts: { sessionUserId?: string; ip?: string; scheme?: string } = {}) {
  const headers = new Headers({ authorization: `${opts.scheme ?? "Bearer"} ${value}`, "x-forwarded-for": opts.ip ?? KEY_IP, "user-agent": "vitest" });
  const ctx = await createTRPCContext({ headers, sessionUser: opts.sessionUserId ? { id: opts.sessionUserId } : null });
  return createCaller(ctx);
}

/** `CODE:reason` of a refused call, "OK" when it resolved. */
async function refusal(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return "OK";
  } catch (error) {
    const e = error as { code?: string; cause?: { reason?: string } };
    return `${e.code ?? "THREW"}:${e.cause?.reason ?? ""}`;
  }
}

let a: OrgFixture;
let b: OrgFixture;

beforeAll(async () => {
  [a, b] = [await createOrgFixture("chaves-a"), await createOrgFixture("chaves-b")];
});

async function mintKey(fx: OrgFixture, scopes: Parameters<Awaited<ReturnType<typeof callerFor>>["apiKeys"]["create"]>[0]["scopes"], role: "OWNER" | "MANAGER" = "OWNER", extra: { expiresAt?: Date } = {}) {
  const owner = await callerFor(fx.users[role].userId);
  return owner.apiKeys.create({ name: `chave ${scopes.join(" ")}`.slice(0, 60), scopes, ...extra });
}

describe("apiKeys.create / list", () => {
  it("returns the plaintext once; the database and the list hold only the hash and the prefix", async () => {
    const owner = await callerFor(a.users.OWNER.userId);
    const created = await owner.apiKeys.create({ name: "  Integração ERP  ", scopes: ["listings:read", "actions:write"] });
    expect(created.key).toMatch(/^ssk_[A-Za-z0-9_-]{43}$/);
    expect(created.apiKey).toMatchObject({ name: "Integração ERP", prefix: created.key.slice(0, 12), scopes: ["listings:read", "actions:write"], status: "ACTIVE", expiresAt: null, revokedAt: null, lastUsedAt: null });
    expect(created.apiKey.createdBy).toEqual({ id: a.users.OWNER.userId, name: "OWNER chaves-a" });

    const row = await db.apiKey.findUniqueOrThrow({ where: { id: created.apiKey.id } });
    expect(row.keyHash).toBe(sha256(created.key));
    expect(JSON.stringify(row)).not.toContain(created.key);
    expect(JSON.stringify(row)).not.toContain(created.key.slice(12));

    const list = await owner.apiKeys.list({ limit: 50 });
    const listed = list.items.find((k) => k.id === created.apiKey.id);
    expect(listed).toMatchObject({ prefix: created.key.slice(0, 12), status: "ACTIVE" });
    expect(JSON.stringify(list)).not.toContain(created.key.slice(12));
    expect(JSON.stringify(list)).not.toContain(row.keyHash);

    const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: a.organizationId, action: "api_key.created", targetId: created.apiKey.id } });
    expect(audit.actorUserId).toBe(a.users.OWNER.userId);
    expect(JSON.stringify(audit)).not.toContain(created.key.slice(12));
    expect(audit.metadata).toMatchObject({ name: "Integração ERP", scopes: ["listings:read", "actions:write"] });
  });

  it("validates the input: non-empty, known and unique scopes; a name; an expiry in the future and within two years", async () => {
    const owner = await callerFor(a.users.OWNER.userId);
    const bad = (input: unknown) => refusal(() => owner.apiKeys.create(input as never));
    expect(await bad({ name: "x", scopes: [] })).toBe("BAD_REQUEST:");
    expect(await bad({ name: "x", scopes: ["members:read"] })).toBe("BAD_REQUEST:");
    expect(await bad({ name: "x", scopes: ["listings:read", "listings:read"] })).toBe("BAD_REQUEST:");
    expect(await bad({ name: "   ", scopes: ["listings:read"] })).toBe("BAD_REQUEST:");
    expect(await bad({ name: "x".repeat(61), scopes: ["listings:read"] })).toBe("BAD_REQUEST:");
    expect(await bad({ name: "x", scopes: ["listings:read"], expiresAt: new Date(Date.now() - 1000) })).toBe("BAD_REQUEST:apiKeyExpiryPast");
    expect(await bad({ name: "x", scopes: ["listings:read"], expiresAt: new Date(Date.now() + 731 * 86_400_000) })).toBe("BAD_REQUEST:apiKeyExpiryTooFar");
    const ok = await owner.apiKeys.create({ name: "um ano", scopes: ["listings:read"], expiresAt: new Date(Date.now() + 365 * 86_400_000) });
    expect(ok.apiKey.expiresAt).toBeInstanceOf(Date);
  });

  it("pages newest first by cursor; another organization's cursor is NOT_FOUND", async () => {
    const fx = await createOrgFixture("paginas");
    const owner = await callerFor(fx.users.OWNER.userId);
    const names: string[] = [];
    for (let i = 0; i < 5; i++) {
      names.push(`k${i}`);
      await owner.apiKeys.create({ name: `k${i}`, scopes: ["listings:read"] });
    }
    const first = await owner.apiKeys.list({ limit: 2 });
    expect(first.items.map((k) => k.name)).toEqual(["k4", "k3"]);
    const second = await owner.apiKeys.list({ limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((k) => k.name)).toEqual(["k2", "k1"]);
    const third = await owner.apiKeys.list({ limit: 2, cursor: second.nextCursor! });
    expect(third).toMatchObject({ items: [{ name: "k0" }], nextCursor: null });

    const other = await callerFor(b.users.OWNER.userId);
    expect(await refusal(() => other.apiKeys.list({ limit: 2, cursor: first.items[0]!.id }))).toBe("NOT_FOUND:notFound");
    expect((await other.apiKeys.list({ limit: 100 })).items.some((k) => names.includes(k.name) && k.createdBy.id === fx.users.OWNER.userId)).toBe(false);
  });

  it(`refuses the ${MAX_ACTIVE_API_KEYS + 1}st active key with CONFLICT apiKeyLimit; revoked and expired keys do not count`, async () => {
    const fx = await createOrgFixture("limite");
    const owner = await callerFor(fx.users.OWNER.userId);
    const ids: string[] = [];
    for (let i = 0; i < MAX_ACTIVE_API_KEYS; i++) ids.push((await owner.apiKeys.create({ name: `k${i}`, scopes: ["listings:read"] })).apiKey.id);
    expect(await refusal(() => owner.apiKeys.create({ name: "demais", scopes: ["listings:read"] }))).toBe("CONFLICT:apiKeyLimit");
    await owner.apiKeys.revoke({ id: ids[0]! });
    await owner.apiKeys.create({ name: "no lugar da revogada", scopes: ["listings:read"] });
    expect(await refusal(() => owner.apiKeys.create({ name: "demais", scopes: ["listings:read"] }))).toBe("CONFLICT:apiKeyLimit");
    await db.apiKey.update({ where: { id: ids[1]! }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await refusal(() => owner.apiKeys.create({ name: "no lugar da expirada", scopes: ["listings:read"] }))).toBe("OK");
    expect(await db.apiKey.count({ where: { organizationId: fx.organizationId } })).toBe(MAX_ACTIVE_API_KEYS + 2);
  });

  it("concurrent creates never pass the limit", async () => {
    const fx = await createOrgFixture("corrida");
    const owner = await callerFor(fx.users.OWNER.userId);
    for (let i = 0; i < MAX_ACTIVE_API_KEYS - 2; i++) await owner.apiKeys.create({ name: `k${i}`, scopes: ["listings:read"] });
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => refusal(() => owner.apiKeys.create({ name: `c${n}`, scopes: ["listings:read"] }))));
    expect(results.filter((r) => r === "OK")).toHaveLength(2);
    expect(results.filter((r) => r === "CONFLICT:apiKeyLimit")).toHaveLength(3);
  });
});

describe("apiKeys.revoke", () => {
  it("revokes once (a second time is CONFLICT), audits it, and the key stops working at once", async () => {
    const { key, apiKey } = await mintKey(a, ["listings:read"]);
    const viaKey = await callerWithBearer(key);
    expect(await refusal(() => viaKey.listings.list({ limit: 5 }))).toBe("OK");

    const owner = await callerFor(a.users.OWNER.userId);
    const revoked = await owner.apiKeys.revoke({ id: apiKey.id });
    expect(revoked.status).toBe("REVOKED");
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await refusal(() => owner.apiKeys.revoke({ id: apiKey.id }))).toBe("CONFLICT:apiKeyAlreadyRevoked");
    expect(await db.auditLog.count({ where: { organizationId: a.organizationId, action: "api_key.revoked", targetId: apiKey.id } })).toBe(1);

    expect(await refusal(async () => (await callerWithBearer(key)).listings.list({ limit: 5 }))).toBe("UNAUTHORIZED:invalidCredential");
  });

  it("still works while the organization is suspended (a leaked key can always be cut off); creating one does not", async () => {
    const fx = await createOrgFixture("chaves-suspensa");
    const { key, apiKey } = await mintKey(fx, ["listings:read"]);
    await db.organization.update({ where: { id: fx.organizationId }, data: { status: "SUSPENDED", suspendedAt: new Date(), suspendedReason: "teste" } });
    const owner = await callerFor(fx.users.OWNER.userId);
    expect(await refusal(() => owner.apiKeys.create({ name: "outra", scopes: ["listings:read"] }))).toBe("FORBIDDEN:organizationSuspended");
    expect((await owner.apiKeys.revoke({ id: apiKey.id })).status).toBe("REVOKED");
    expect(await refusal(async () => (await callerWithBearer(key)).listings.list({ limit: 5 }))).toBe("UNAUTHORIZED:invalidCredential");
  });

  it("another organization's key id is NOT_FOUND and stays live", async () => {
    const { key, apiKey } = await mintKey(a, ["listings:read"]);
    const other = await callerFor(b.users.OWNER.userId);
    expect(await refusal(() => other.apiKeys.revoke({ id: apiKey.id }))).toBe("NOT_FOUND:notFound");
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).revokedAt).toBeNull();
    expect(await refusal(async () => (await callerWithBearer(key)).listings.list({ limit: 5 }))).toBe("OK");
  });

  it("a manager may manage keys; an operator may not", async () => {
    const manager = await callerFor(a.users.MANAGER.userId);
    const { apiKey } = await manager.apiKeys.create({ name: "do gerente", scopes: ["content:read"] });
    expect((await manager.apiKeys.revoke({ id: apiKey.id })).status).toBe("REVOKED");
    const operator = await callerFor(a.users.OPERATOR.userId);
    expect(await refusal(() => operator.apiKeys.list({ limit: 5 }))).toBe("FORBIDDEN:roleTooLow");
  });
});

describe("requests made with an API key", () => {
  it("act for the key's organization: A's key reads A's listings, never B's", async () => {
    const { key } = await mintKey(a, ["listings:read"]);
    const viaKey = await callerWithBearer(key);
    const page = await viaKey.listings.list({ limit: 100 });
    expect(page.items.map((l) => l.id)).toContain(a.listingId);
    const leaked = b.allIds().filter((id) => JSON.stringify(page).includes(id));
    expect(leaked).toEqual([]);
    expect(await refusal(() => viaKey.listings.get({ id: b.listingId }))).toBe("NOT_FOUND:notFound");
    expect(await refusal(() => viaKey.listings.get({ id: a.listingId }))).toBe("OK");
  });

  it("record the last use (time and IP), at most once a minute", async () => {
    const { key, apiKey } = await mintKey(a, ["listings:read"]);
    await (await callerWithBearer(key, { ip: "203.0.113.44" })).listings.list({ limit: 1 });
    const used = await db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(used.lastUsedAt).toBeInstanceOf(Date);
    expect(used.lastUsedIp).toBe("203.0.113.44");
    await (await callerWithBearer(key, { ip: "203.0.113.45" })).listings.list({ limit: 1 });
    const again = await db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(again.lastUsedAt).toEqual(used.lastUsedAt);
    expect(again.lastUsedIp).toBe("203.0.113.44");
    const listed = (await (await callerFor(a.users.OWNER.userId)).apiKeys.list({ limit: 100 })).items.find((k) => k.id === apiKey.id);
    expect(listed).toMatchObject({ lastUsedIp: "203.0.113.44", lastUsedAt: used.lastUsedAt });
  });

  it("stay within the key's scopes: a read key cannot write, nor reach members, billing, audit, keys, or non-tenant procedures", async () => {
    const { key } = await mintKey(a, ["listings:read"]);
    const viaKey = await callerWithBearer(key);
    expect(await refusal(() => viaKey.scores.summary())).toBe("OK"); // scores:read is covered by listings:read
    expect(await refusal(() => viaKey.scores.recompute({ listingId: a.listingId }))).toBe("FORBIDDEN:apiKeyScope");
    expect(await refusal(() => viaKey.actions.list({ limit: 5 }))).toBe("FORBIDDEN:apiKeyScope");
    expect(await refusal(() => viaKey.tenants.members.list())).toBe("FORBIDDEN:apiKeyScope");
    expect(await refusal(() => viaKey.tenants.members.remove({ membershipId: a.users.VIEWER.membershipId }))).toBe("FORBIDDEN:apiKeyScope");
    expect(await refusal(() => viaKey.tenants.audit({ limit: 5 }))).toBe("FORBIDDEN:apiKeyScope");
    expect(await refusal(() => viaKey.billing.current())).toBe("FORBIDDEN:apiKeyScope");
    expect(await refusal(() => viaKey.apiKeys.list({ limit: 5 }))).toBe("FORBIDDEN:apiKeyScope");
    expect(await refusal(() => viaKey.apiKeys.create({ name: "filha", scopes: ["listings:read"] }))).toBe("FORBIDDEN:apiKeyScope");
    expect(await refusal(() => viaKey.tenants.mine())).toBe("FORBIDDEN:apiKeyNotAllowed");
    expect(await refusal(() => viaKey.tenants.create({ name: "Outra" }))).toBe("FORBIDDEN:apiKeyNotAllowed");
    expect(await refusal(() => viaKey.admin.organizations({ limit: 5 } as never))).toBe("FORBIDDEN:apiKeyNotAllowed");
    // A full-scope key is still no key to the settings.
    const { key: broad } = await mintKey(a, ["listings:write", "actions:write", "content:write", "connections:write", "engagement:write"]);
    const viaBroad = await callerWithBearer(broad);
    expect(await refusal(() => viaBroad.apiKeys.list({ limit: 5 }))).toBe("FORBIDDEN:apiKeyScope");
    expect(await refusal(() => viaBroad.billing.current())).toBe("FORBIDDEN:apiKeyScope");
    expect(await refusal(() => viaBroad.tenants.members.list())).toBe("FORBIDDEN:apiKeyScope");
  });

  it("a write through a key is audited as its creator, naming the key", async () => {
    const { key, apiKey } = await mintKey(a, ["actions:write"], "MANAGER");
    const viaKey = await callerWithBearer(key);
    await viaKey.actions.reject({ id: a.actionId, note: "via chave" });
    const entry = await db.auditLog.findFirstOrThrow({ where: { organizationId: a.organizationId, action: "action.rejected", targetId: a.actionId } });
    expect(entry.actorUserId).toBe(a.users.MANAGER.userId);
    expect(entry.metadata).toMatchObject({ apiKeyId: apiKey.id });
    expect(entry.ip).toBe(KEY_IP);
  });

  it("never exceed the creator's current role: demoted to VIEWER, a write key is FORBIDDEN; reads still work", async () => {
    const fx = await createOrgFixture("rebaixado");
    const { key } = await mintKey(fx, ["listings:write"], "MANAGER");
    const viaKey = await callerWithBearer(key);
    expect(await refusal(() => viaKey.scores.recompute({ listingId: fx.listingId }))).toBe("OK");
    await db.membership.update({ where: { id: fx.users.MANAGER.membershipId }, data: { role: "VIEWER" } });
    expect(await refusal(async () => (await callerWithBearer(key)).scores.recompute({ listingId: fx.listingId }))).toBe("FORBIDDEN:roleTooLow");
    expect(await refusal(async () => (await callerWithBearer(key)).listings.list({ limit: 5 }))).toBe("OK");
  });

  it("act for nobody once the creator left the organization (UNAUTHORIZED), and the list says ORPHANED", async () => {
    const fx = await createOrgFixture("saiu");
    const { key, apiKey } = await mintKey(fx, ["listings:read"], "MANAGER");
    expect(await refusal(async () => (await callerWithBearer(key)).listings.list({ limit: 5 }))).toBe("OK");
    await db.membership.delete({ where: { id: fx.users.MANAGER.membershipId } });
    expect(await refusal(async () => (await callerWithBearer(key)).listings.list({ limit: 5 }))).toBe("UNAUTHORIZED:invalidCredential");
    const listed = (await (await callerFor(fx.users.OWNER.userId)).apiKeys.list({ limit: 10 })).items.find((k) => k.id === apiKey.id);
    expect(listed?.status).toBe("ORPHANED");
  });

  it("act for nobody once the creator is banned (UNAUTHORIZED), and the list says ORPHANED", async () => {
    const fx = await createOrgFixture("banido");
    const { key, apiKey } = await mintKey(fx, ["listings:read"], "MANAGER");
    await db.user.update({ where: { id: fx.users.MANAGER.userId }, data: { bannedAt: new Date() } });
    expect(await refusal(async () => (await callerWithBearer(key)).listings.list({ limit: 5 }))).toBe("UNAUTHORIZED:");
    const listed = (await (await callerFor(fx.users.OWNER.userId)).apiKeys.list({ limit: 10 })).items.find((k) => k.id === apiKey.id);
    expect(listed?.status).toBe("ORPHANED");
  });

  it("refuse expired keys (UNAUTHORIZED; the list says EXPIRED)", async () => {
    const { key, apiKey } = await mintKey(a, ["listings:read"], "OWNER", { expiresAt: new Date(Date.now() + 86_400_000) });
    expect(await refusal(async () => (await callerWithBearer(key)).listings.list({ limit: 5 }))).toBe("OK");
    await db.apiKey.update({ where: { id: apiKey.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await refusal(async () => (await callerWithBearer(key)).listings.list({ limit: 5 }))).toBe("UNAUTHORIZED:invalidCredential");
    const listed = (await (await callerFor(a.users.OWNER.userId)).apiKeys.list({ limit: 100 })).items.find((k) => k.id === apiKey.id);
    expect(listed?.status).toBe("EXPIRED");
  });

  it("a garbage or malformed bearer is UNAUTHORIZED, even alongside a valid session (no fallback)", async () => {
    const owner = a.users.OWNER.userId;
    for (const value of ["ssk_doesnotexist", "sst_nope.nope", "whatever", ""]) {
      expect(await refusal(async () => (await callerWithBearer(value, { sessionUserId: owner })).listings.list({ limit: 5 })), value).toBe("UNAUTHORIZED:invalidCredential");
    }
    expect(await refusal(async () => (await callerWithBearer("abc", { sessionUserId: owner, scheme: "Basic" })).tenants.mine())).toBe("UNAUTHORIZED:invalidCredential");
    // A valid key for A with B's owner's session: acts as the key, not the session.
    const { key } = await mintKey(a, ["listings:read"]);
    const page = await (await callerWithBearer(key, { sessionUserId: b.users.OWNER.userId })).listings.list({ limit: 100 });
    expect(page.items.map((l) => l.id)).toContain(a.listingId);
    expect(page.items.map((l) => l.id)).not.toContain(b.listingId);
  });
});

describe("auth.login (access tokens)", () => {
  const PASSWORD = "girassol laranja 73 pulando";

  async function userWithPassword(fx: OrgFixture) {
    const email = uniqueEmail("token");
    const user = await db.user.create({ data: { email, name: "Pessoa Token", passwordHash: await hashPassword(PASSWORD), activeOrganizationId: fx.organizationId } });
    await db.membership.create({ data: { organizationId: fx.organizationId, userId: user.id, role: "OPERATOR" } });
    return { userId: user.id, email };
  }

  it("answers a Bearer token that acts as the user, in their active organization", async () => {
    const { userId, email } = await userWithPassword(a);
    const anonymous = await callerFor(null, "198.51.100.90");
    const login = await anonymous.auth.login({ email: email.toUpperCase(), password: PASSWORD });
    expect(login.tokenType).toBe("Bearer");
    expect(login.token).toMatch(/^sst_/);
    expect(login.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(verifyAccessToken(login.token)).toBe(userId);

    const viaToken = await callerWithBearer(login.token);
    const mine = await viaToken.tenants.mine();
    expect(mine.map((o) => o.id)).toEqual([a.organizationId]);
    // As the user's role (OPERATOR), with no scope restriction: can recompute, cannot manage keys.
    expect(await refusal(() => viaToken.scores.recompute({ listingId: a.listingId }))).toBe("OK");
    expect(await refusal(() => viaToken.apiKeys.list({ limit: 5 }))).toBe("FORBIDDEN:roleTooLow");
    expect(await refusal(() => viaToken.listings.get({ id: b.listingId }))).toBe("NOT_FOUND:notFound");
  });

  it("refuses a wrong password or an unknown e-mail with UNAUTHORIZED invalidCredentials", async () => {
    const { email } = await userWithPassword(a);
    const anonymous = await callerFor(null, "198.51.100.91");
    expect(await refusal(() => anonymous.auth.login({ email, password: "senha errada de verdade" }))).toBe("UNAUTHORIZED:invalidCredentials");
    expect(await refusal(() => anonymous.auth.login({ email: uniqueEmail("ninguem"), password: PASSWORD }))).toBe("UNAUTHORIZED:invalidCredentials");
    expect(await refusal(() => anonymous.auth.login({ email: "não é e-mail", password: PASSWORD }))).toBe("BAD_REQUEST:");
  });

  it("refuses expired and tampered tokens", async () => {
    const { userId } = await userWithPassword(a);
    const old = issueAccessToken(userId, new Date(Date.now() - 25 * 60 * 60_000));
    expect(old.expiresAt.getTime()).toBeLessThan(Date.now());
    expect(verifyAccessToken(old.token)).toBeNull();
    expect(await refusal(async () => (await callerWithBearer(old.token)).tenants.mine())).toBe("UNAUTHORIZED:invalidCredential");

    // A token is accepted only with a live session row behind it (services/accounts/sessions.ts).
    const session = await startApiSession(db, { userId, expiresAt: new Date(Date.now() + 60 * 60_000) });
    const fresh = issueAccessToken(userId, new Date(), session.id);
    expect(verifyAccessToken(fresh.token, new Date(fresh.expiresAt.getTime() + 1000))).toBeNull();
    const [payload, signature] = fresh.token.slice(4).split(".");
    const forged = Buffer.from(JSON.stringify({ sub: a.users.OWNER.userId, exp: Math.floor(fresh.expiresAt.getTime() / 1000) })).toString("base64url");
    expect(await refusal(async () => (await callerWithBearer(`sst_${forged}.${signature}`)).tenants.mine())).toBe("UNAUTHORIZED:invalidCredential");
    expect(await refusal(async () => (await callerWithBearer(`sst_${payload}.${signature}`)).tenants.mine())).toBe("OK");
  });

  it("a banned user's token stops working, and a banned user cannot log in", async () => {
    const { userId, email } = await userWithPassword(a);
    const anonymous = await callerFor(null, "198.51.100.92");
    const { token } = await anonymous.auth.login({ email, password: PASSWORD });
    expect(await refusal(async () => (await callerWithBearer(token)).tenants.mine())).toBe("OK");
    await db.user.update({ where: { id: userId }, data: { bannedAt: new Date() } });
    expect(await refusal(async () => (await callerWithBearer(token)).tenants.mine())).toBe("UNAUTHORIZED:");
    expect(await refusal(async () => (await callerWithBearer(token)).listings.list({ limit: 5 }))).toBe("UNAUTHORIZED:");
    expect(await refusal(() => anonymous.auth.login({ email, password: PASSWORD }))).toBe("UNAUTHORIZED:invalidCredentials");
  });

  it("a deleted user cannot log in and their token stops working", async () => {
    const { userId, email } = await userWithPassword(a);
    const anonymous = await callerFor(null, "198.51.100.93");
    const { token } = await anonymous.auth.login({ email, password: PASSWORD });
    await db.user.update({ where: { id: userId }, data: { deletedAt: new Date() } });
    expect(await refusal(async () => (await callerWithBearer(token)).tenants.mine())).toBe("UNAUTHORIZED:");
    expect(await refusal(() => anonymous.auth.login({ email, password: PASSWORD }))).toBe("UNAUTHORIZED:invalidCredentials");
  });

  it("auth.signUp answers the new account's safe fields only", async () => {
    const anonymous = await callerFor(null, "198.51.100.94");
    const email = uniqueEmail("registro");
    const result = await anonymous.auth.signUp({ name: "Nova Pessoa", email, password: "correct horse battery staple 9" });
    expect(Object.keys(result).sort()).toEqual(["email", "id", "name", "organizationId", "userId"]);
    expect(result).toMatchObject({ id: result.userId, email, name: "Nova Pessoa" });
  });
});
