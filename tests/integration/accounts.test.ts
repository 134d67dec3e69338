import { describe, expect, it } from "vitest";

import { AppError } from "~/server/lib/errors";
import { authenticate, signUp } from "~/server/services/accounts/accounts";
import { callerFor, db, uniqueEmail } from "./helpers/fixtures";

const STRONG = "tamarindo azul 42 voando";
const request = (ip: string) => ({ correlationId: "test-correlation", ip, userAgent: "vitest" });

async function reason(promise: Promise<unknown>) {
  try {
    await promise;
    return "OK";
  } catch (error) {
    return error instanceof AppError ? `${error.code}:${error.reason}` : `threw:${String(error)}`;
  }
}

describe("sign-up", () => {
  it("creates the user, an organization, an owner membership and audit entries", async () => {
    const email = uniqueEmail("Maria");
    const caller = await callerFor(null, "198.51.100.1");
    const { userId, organizationId } = await caller.auth.signUp({ name: "Maria Silva", email: email.toUpperCase(), password: STRONG, organizationName: "Loja da Maria" });

    const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
    expect(user.email).toBe(email.toLowerCase());
    expect(user.passwordHash).not.toContain(STRONG);
    expect(user.activeOrganizationId).toBe(organizationId);
    const membership = await db.membership.findFirstOrThrow({ where: { userId } });
    expect(membership).toMatchObject({ organizationId, role: "OWNER" });
    const org = await db.organization.findUniqueOrThrow({ where: { id: organizationId } });
    expect(org.name).toBe("Loja da Maria");
    const actions = (await db.auditLog.findMany({ where: { organizationId } })).map((a) => a.action).sort();
    expect(actions).toEqual(["organization.created", "user.signed_up"]);
  });

  it("refuses a second account for the same e-mail with a generic message", async () => {
    const email = uniqueEmail("dup");
    await signUp(db, request("198.51.100.2"), { name: "Primeira", email, password: STRONG, locale: "pt-BR" });
    const error = await signUp(db, request("198.51.100.2"), { name: "Segunda", email: ` ${email.toUpperCase()} `, password: STRONG, locale: "pt-BR" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).reason).toBe("signUpRefused");
    expect((error as AppError).message).not.toMatch(/exist|already registered|já existe/i);
    expect(await db.user.count({ where: { email } })).toBe(1);
  });

  it("lets exactly one of two concurrent sign-ups for one e-mail win", async () => {
    const email = uniqueEmail("race");
    const results = await Promise.all(
      [1, 2].map((n) => reason(signUp(db, request("198.51.100.3"), { name: `Corrida ${n}`, email, password: STRONG, locale: "pt-BR" }))),
    );
    expect(results.sort()).toEqual(["CONFLICT:signUpRefused", "OK"]);
    expect(await db.user.count({ where: { email } })).toBe(1);
  });

  it.each([
    ["curta1", "password.tooShort"],
    ["senha12345", "password.tooWeak"],
    ["aaaaaaaaaaaa", "password.tooWeak"],
  ])("refuses the weak password %s (%s)", async (password, expected) => {
    const email = uniqueEmail("weak");
    expect(await reason(signUp(db, request("198.51.100.4"), { name: "Fraca", email, password, locale: "pt-BR" }))).toBe(`BAD_REQUEST:${expected}`);
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("returns field errors, not a 500, for invalid input", async () => {
    const caller = await callerFor(null);
    const error = await caller.auth.signUp({ name: "A", email: "not-an-email", password: "" }).catch((e: unknown) => e);
    expect((error as { code: string }).code).toBe("BAD_REQUEST");
  });

  it("limits sign-ups per IP", async () => {
    const ip = "198.51.100.99";
    const outcomes: string[] = [];
    for (let i = 0; i < 11; i++) {
      outcomes.push(await reason(signUp(db, request(ip), { name: "Em Massa", email: uniqueEmail("bulk"), password: STRONG, locale: "pt-BR" })));
    }
    expect(outcomes.slice(0, 10).every((o) => o === "OK")).toBe(true);
    expect(outcomes[10]).toBe("TOO_MANY_REQUESTS:rateLimited");
  });
});

describe("sign-in", () => {
  async function account() {
    const email = uniqueEmail("signin");
    await signUp(db, request("192.0.2.200"), { name: "Quem Entra", email, password: STRONG, locale: "pt-BR" });
    return email;
  }

  it("accepts the right password, case-insensitively on the e-mail", async () => {
    const email = await account();
    const user = await authenticate(db, request("192.0.2.1"), { email: email.toUpperCase(), password: STRONG });
    expect(user.email).toBe(email);
    expect(Object.keys(user).sort()).toEqual(["email", "id", "name"]);
  });

  it("gives the same answer for an unknown e-mail and a wrong password", async () => {
    const email = await account();
    const wrongPassword = await reason(authenticate(db, request("192.0.2.2"), { email, password: "errada errada 123" }));
    const unknownEmail = await reason(authenticate(db, request("192.0.2.2"), { email: uniqueEmail("ghost"), password: STRONG }));
    expect(wrongPassword).toBe("UNAUTHORIZED:invalidCredentials");
    expect(unknownEmail).toBe(wrongPassword);
  });

  it("locks an account after repeated failures, even from many IPs and with the right password", async () => {
    const email = await account();
    for (let i = 0; i < 8; i++) {
      await reason(authenticate(db, request(`192.0.2.${10 + i}`), { email, password: `errada ${i} xyz` }));
    }
    expect(await reason(authenticate(db, request("192.0.2.50"), { email, password: STRONG }))).toBe("TOO_MANY_REQUESTS:rateLimited");
  });

  it("limits one IP trying many accounts", async () => {
    const ip = "192.0.2.77";
    const results: string[] = [];
    for (let i = 0; i < 31; i++) {
      results.push(await reason(authenticate(db, request(ip), { email: uniqueEmail("spray"), password: "qualquer coisa 1" })));
    }
    expect(results.slice(0, 30).every((r) => r === "UNAUTHORIZED:invalidCredentials")).toBe(true);
    expect(results[30]).toBe("TOO_MANY_REQUESTS:rateLimited");
  });

  it("records failed and successful sign-ins in the audit log without the password", async () => {
    const email = await account();
    await reason(authenticate(db, request("192.0.2.90"), { email, password: "nope nope nope 1" }));
    await authenticate(db, request("192.0.2.90"), { email, password: STRONG });
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    const entries = await db.auditLog.findMany({ where: { actorUserId: user.id, action: { startsWith: "user.sign" } } });
    expect(entries.map((e) => e.action).sort()).toEqual(["user.sign_in_failed", "user.signed_in", "user.signed_up"]);
    expect(JSON.stringify(entries)).not.toContain(STRONG);
    expect(entries.every((e) => e.ip === "192.0.2.90" || e.action === "user.signed_up")).toBe(true);
  });
});
