/**
 * POST /api/v1/auth/login with a second factor, through the catch-all REST route (real procedure,
 * real PostgreSQL and Redis): an account with two-factor authentication on needs `otp` (a TOTP
 * code or a recovery code), checked by the same verification and limiters as the web sign-in.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { POST } from "~/app/api/v1/[...path]/route";
import { setRestSessionResolver } from "~/server/api/openapi/dispatch";
import { getOpenApiDocument } from "~/server/api/openapi/document";
import { hashPassword } from "~/server/auth/password";
import { setApiRateLimits } from "~/server/lib/rate-limit";
import { totpFor } from "~/server/services/accounts/two-factor-totp";
import { callerFor, db, uniqueEmail } from "./helpers/fixtures";

const PASSWORD = "jabuticaba madura 73 pulando";

type Envelope = { data: { token?: string; tokenType?: string } | null; meta: { correlationId: string }; errors: Array<{ code: string; message: string; reason?: string }> };

/** A code for the step `offset` periods away (the server accepts ±1, each step once). */
const codeAt = (secret: string, offset = 0) => totpFor(secret, "x", "x").generate({ timestamp: Date.now() + offset * 30_000 });

const randomIp = () => `198.51.100.${Math.floor(Math.random() * 200) + 1}`;

async function login(body: Record<string, unknown>, ip = randomIp()) {
  const response = await POST(
    new Request("http://localhost:3000/api/v1/auth/login", { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": ip }, body: JSON.stringify(body) }),
  );
  return { status: response.status, body: (await response.json()) as Envelope };
}

async function person() {
  const email = uniqueEmail("api-tfa");
  const user = await db.user.create({ data: { email, name: "Pessoa API 2FA", passwordHash: await hashPassword(PASSWORD) } });
  return { userId: user.id, email };
}

async function enrolled() {
  const p = await person();
  const caller = await callerFor(p.userId);
  const { secret } = await caller.security.twoFactor.beginSetup();
  // The enrolment claims the previous step, so the current and next ones are fresh for the test.
  const { recoveryCodes } = await caller.security.twoFactor.confirmSetup({ code: codeAt(secret, -1) });
  return { ...p, secret, recoveryCodes };
}

const apiSessions = (userId: string) => db.userSession.count({ where: { userId } });

beforeAll(() => {
  // No Next.js request here: these calls carry no session cookie.
  setRestSessionResolver(async () => null);
  // The REST limiter per IP and class stays out of the way; the sign-in limiters are the real ones.
  setApiRateLimits({ store: "memory", keyPrefix: `api-tfa-${Date.now()}`, limits: { ipPerMinute: 100_000, readPerMinute: 100_000, writePerMinute: 100_000, authPerMinute: 100_000 } });
});
afterAll(() => {
  setApiRateLimits(null);
  setRestSessionResolver(null);
});

describe("POST /auth/login with two-factor authentication", () => {
  it("asks for the code (twoFactorRequired), refuses a wrong or replayed one, answers a token for a fresh one", async () => {
    const p = await enrolled();
    const sessionsBefore = await apiSessions(p.userId);

    const missing = await login({ email: p.email, password: PASSWORD });
    expect(missing.status).toBe(401);
    expect(missing.body.data).toBeNull();
    expect(missing.body.errors).toEqual([{ code: "UNAUTHORIZED", message: expect.any(String) as string, reason: "twoFactorRequired" }]);
    // An empty code is the same as none.
    expect((await login({ email: p.email, password: PASSWORD, otp: "  " })).body.errors[0]?.reason).toBe("twoFactorRequired");

    const wrongCode = codeAt(p.secret) === "123456" ? "654321" : "123456";
    const wrong = await login({ email: p.email, password: PASSWORD, otp: wrongCode });
    expect(wrong.status).toBe(401);
    expect(wrong.body.errors[0]).toMatchObject({ code: "UNAUTHORIZED", reason: "invalidTwoFactorCode" });
    expect(await db.auditLog.count({ where: { actorUserId: p.userId, action: "user.two_factor_failed" } })).toBe(1);
    // A wrong password is still invalidCredentials, code or not (the code is never checked first).
    expect((await login({ email: p.email, password: "wrong password here", otp: codeAt(p.secret) })).body.errors[0]?.reason).toBe("invalidCredentials");
    expect(await apiSessions(p.userId)).toBe(sessionsBefore);

    const code = codeAt(p.secret);
    const ok = await login({ email: p.email, password: PASSWORD, otp: ` ${code} ` });
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toEqual([]);
    expect(ok.body.data?.token).toMatch(/^sst_/);
    expect(ok.body.data?.tokenType).toBe("Bearer");
    expect(await apiSessions(p.userId)).toBe(sessionsBefore + 1);

    // The same code (its step is used) is refused.
    const replay = await login({ email: p.email, password: PASSWORD, otp: code });
    expect(replay.status).toBe(401);
    expect(replay.body.errors[0]?.reason).toBe("invalidTwoFactorCode");
  });

  it("accepts a recovery code once", async () => {
    const p = await enrolled();
    const recovery = p.recoveryCodes[0]!;
    const first = await login({ email: p.email, password: PASSWORD, otp: recovery });
    expect(first.status).toBe(200);
    expect(first.body.data?.token).toMatch(/^sst_/);
    expect(await db.auditLog.count({ where: { actorUserId: p.userId, action: "user.recovery_code_used" } })).toBe(1);
    expect(await db.recoveryCode.count({ where: { userId: p.userId, usedAt: null } })).toBe(p.recoveryCodes.length - 1);

    const again = await login({ email: p.email, password: PASSWORD, otp: recovery });
    expect(again.status).toBe(401);
    expect(again.body.errors[0]?.reason).toBe("invalidTwoFactorCode");
    // Another, unused recovery code still works.
    expect((await login({ email: p.email, password: PASSWORD, otp: p.recoveryCodes[1]! })).status).toBe(200);
  });

  it("counts wrong codes against the sign-in limiter: then 429 rateLimited, even with a right code", async () => {
    const p = await enrolled();
    const ip = randomIp();
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await login({ email: p.email, password: PASSWORD, otp: "abcde-fghij" }, ip)).status);
    expect(statuses.slice(0, 8)).toEqual(Array(8).fill(401));
    const blocked = await login({ email: p.email, password: PASSWORD, otp: codeAt(p.secret) }, ip);
    expect(blocked.status).toBe(429);
    expect(blocked.body.errors[0]).toMatchObject({ code: "TOO_MANY_REQUESTS", reason: "rateLimited" });
  });

  it("an account without two-factor authentication needs no code (and an otp sent anyway changes nothing)", async () => {
    const p = await person();
    expect((await login({ email: p.email, password: PASSWORD })).status).toBe(200);
    expect((await login({ email: p.email, password: PASSWORD, otp: "123456" })).status).toBe(200);
  });

  it("documents the optional otp field in the OpenAPI document", () => {
    const doc = getOpenApiDocument() as unknown as { paths: Record<string, { post: { description: string; requestBody: { content: { "application/json": { schema: { properties: Record<string, { description?: string }>; required?: string[] } } } } } }> };
    const operation = doc.paths["/auth/login"]!.post;
    const schema = operation.requestBody.content["application/json"].schema;
    expect(schema.properties).toHaveProperty("otp");
    expect(schema.properties.otp!.description).toMatch(/recovery code/);
    expect(schema.required).toEqual(expect.arrayContaining(["email", "password"]));
    expect(schema.required).not.toContain("otp");
    expect(operation.description).toContain("twoFactorRequired");
    expect(operation.description).toContain("invalidTwoFactorCode");
  });
});
