/**
 * LGPD consent records against a real PostgreSQL and the Mercado Livre sandbox served over HTTP:
 * the connect flow records GRANTED, disconnect records WITHDRAWN, privacy.consents lists the
 * organization's history only; the connect start refuses cross-site requests.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CONSENT_VERSIONS } from "~/server/services/connectors/connectors";
import { isCrossSiteRequest } from "~/server/services/privacy/cross-site";
import { connectSandboxSeller, serveMercadoLivreSandbox, type ServedSandbox } from "./helpers/mercadolivre-sandbox";
import { callerFor, createOrgFixture, db, setPlan, tenantCtxOf } from "./helpers/fixtures";

let served: ServedSandbox;
beforeAll(async () => {
  served = await serveMercadoLivreSandbox({ catalogSize: 3 });
});
afterAll(async () => {
  await served.close();
});

describe("consent records", () => {
  it("connect records GRANTED (version, user, connection, ip, user agent); disconnect records WITHDRAWN", async () => {
    const fx = await createOrgFixture("consent");
    await setPlan(fx.organizationId, "pro"); // room for a second marketplace account
    const connection = await connectSandboxSeller(tenantCtxOf(fx, "MANAGER"), 310_000_001);
    const granted = await db.consentRecord.findMany({ where: { organizationId: fx.organizationId, connectionId: connection.id } });
    expect(granted).toEqual([
      expect.objectContaining({
        action: "GRANTED",
        provider: "MERCADOLIVRE",
        version: CONSENT_VERSIONS.MERCADOLIVRE,
        userId: fx.users.MANAGER.userId,
        ip: "203.0.113.10",
        userAgent: "vitest",
      }),
    ]);

    await (await callerFor(fx.users.OWNER.userId)).connectors.disconnect({ connectionId: connection.id });
    const all = await db.consentRecord.findMany({ where: { organizationId: fx.organizationId, connectionId: connection.id }, orderBy: { createdAt: "asc" } });
    expect(all.map((r) => [r.action, r.userId, r.version])).toEqual([
      ["GRANTED", fx.users.MANAGER.userId, CONSENT_VERSIONS.MERCADOLIVRE],
      ["WITHDRAWN", fx.users.OWNER.userId, CONSENT_VERSIONS.MERCADOLIVRE],
    ]);

    // The history, newest first, with who and when, and without IP or user agent.
    const viewer = await callerFor(fx.users.VIEWER.userId);
    const page = await viewer.privacy.consents({ limit: 1 });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ action: "WITHDRAWN", provider: "MERCADOLIVRE", by: expect.any(String), connectionId: connection.id });
    expect(JSON.stringify(page)).not.toContain("203.0.113.10");
    const next = await viewer.privacy.consents({ limit: 50, cursor: page.nextCursor! });
    expect(next.items.map((r) => r.action)).toContain("GRANTED");

    // Another organization sees none of it, even holding a cursor from this one.
    const other = await createOrgFixture("consent-other");
    const otherCaller = await callerFor(other.users.OWNER.userId);
    expect((await otherCaller.privacy.consents({ limit: 50 })).items.filter((r) => r.connectionId === connection.id)).toEqual([]);
    expect(await otherCaller.privacy.consents({ limit: 50, cursor: page.items[0]!.id })).toEqual({ items: [], nextCursor: null });
  });

  it("an erased person is shown as 'Usuário removido' in the history", async () => {
    const fx = await createOrgFixture("consent-erased");
    await setPlan(fx.organizationId, "pro");
    await connectSandboxSeller(tenantCtxOf(fx, "MANAGER"), 310_000_002);
    await db.user.update({ where: { id: fx.users.MANAGER.userId }, data: { erasedAt: new Date(), name: "Usuário removido" } });
    const page = await (await callerFor(fx.users.OWNER.userId)).privacy.consents({ limit: 50 });
    expect(page.items.find((r) => r.action === "GRANTED")?.by).toBe("Usuário removido");
  });
});

describe("the connect start refuses cross-site requests", () => {
  const APP = "http://localhost:3000";
  const crossSite = (headers: Record<string, string>) => isCrossSiteRequest(new Headers(headers), APP, APP);

  it("a foreign Origin or a cross-site / same-site Sec-Fetch-Site is refused", () => {
    expect(crossSite({ origin: "https://evil.example" })).toBe(true);
    expect(crossSite({ "sec-fetch-site": "cross-site" })).toBe(true);
    expect(crossSite({ "sec-fetch-site": "same-site", origin: "https://shop.localhost:3000" })).toBe(true);
  });

  it("our own page's form (same origin) and a typed address pass", () => {
    expect(crossSite({ origin: APP, "sec-fetch-site": "same-origin" })).toBe(false);
    expect(crossSite({ "sec-fetch-site": "none" })).toBe(false);
  });
});
