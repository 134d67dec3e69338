/**
 * An OWNER whose organization requires two-factor authentication and who has not turned it on:
 * what the app layout (loadSession) and Settings → Security need keeps answering — so the banner,
 * the gate and the Security page render instead of an error loop — while organization pages'
 * procedures are refused until the owner enrols, and work right after.
 */
import { describe, expect, it } from "vitest";

import { totpFor } from "~/server/services/accounts/two-factor-totp";
import { callerFor, createOrgFixture, db } from "./helpers/fixtures";

async function reasonOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    const e = error as { cause?: { reason?: string }; code?: string };
    return e.cause?.reason ?? e.code ?? "THREW";
  }
}

describe("owner without the two-factor authentication the organization requires", () => {
  it("keeps the layout's and the Security page's procedures open, refuses the rest until they enrol", async () => {
    const fx = await createOrgFixture("owner-2fa-gate");
    await db.organization.update({ where: { id: fx.organizationId }, data: { requireOwnerTwoFactor: true } });
    const owner = await callerFor(fx.users.OWNER.userId);

    // The layout: the tenant, the organization list, and the two calls that decide the banner.
    expect(await owner.tenants.current()).toMatchObject({ role: "OWNER", organization: { id: fx.organizationId } });
    expect(await reasonOf(owner.tenants.mine())).toBe("OK");
    expect(await owner.security.twoFactor.organizationPolicy()).toEqual({ requireOwnerTwoFactor: true });
    expect(await owner.security.twoFactor.status()).toMatchObject({ enabled: false });
    // The Security page's cards.
    expect(await reasonOf(owner.security.sessions.list())).toBe("OK");
    // Organization pages: refused with the reason the UI explains.
    expect(await reasonOf(owner.listings.list({ limit: 5 }))).toBe("twoFactorRequiredByOrganization");
    expect(await reasonOf(owner.tenants.members.list())).toBe("twoFactorRequiredByOrganization");
    // Other roles are not concerned.
    expect(await reasonOf((await callerFor(fx.users.MANAGER.userId)).tenants.members.list())).toBe("OK");

    // Enrolment on the Security page lifts the gate at once.
    const { secret } = await owner.security.twoFactor.beginSetup();
    await owner.security.twoFactor.confirmSetup({ code: totpFor(secret, "x", "x").generate() });
    expect(await owner.security.twoFactor.status()).toMatchObject({ enabled: true });
    expect(await reasonOf(owner.listings.list({ limit: 5 }))).toBe("OK");
    expect(await reasonOf(owner.tenants.members.list())).toBe("OK");
  });
});
