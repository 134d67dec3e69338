import type { Rule } from "../access.test";
import { db, uniqueEmail } from "../helpers/fixtures";

/** A platform admin with no membership anywhere (admin procedures need none). */
export async function createPlatformAdmin() {
  const user = await db.user.create({
    data: { email: uniqueEmail("platform-admin"), name: "Admin da Plataforma", passwordHash: "$2b$04$unusable", isPlatformAdmin: true },
  });
  return user.id;
}

const FREE_PLAN = {
  code: "gratis",
  name: "Grátis",
  priceMonthlyCents: 0,
  priceYearlyCents: 0,
  limits: { marketplaceAccounts: 1, listings: 200, socialAccounts: 1, postsPerMonth: 20, aiCreditsPerMonth: 50, seats: 2 },
  active: true,
};

/**
 * Access rows of the platform admin procedures: anonymous → UNAUTHORIZED, an organization OWNER
 * who is not a platform admin → FORBIDDEN, a platform admin → through (see access.test.ts).
 * Inputs never change shared state another test file could see (maintenance stays off, the free
 * plan keeps its values, flags are test-only keys).
 */
export const adminAccess: Record<string, Rule> = {
  "admin.metrics": { access: "admin", input: () => undefined },
  "admin.organizations": { access: "admin", input: () => ({ limit: 5 }) },
  "admin.organization": { access: "admin", input: (fx) => ({ organizationId: fx.a.organizationId }) },
  "admin.suspendOrganization": { access: "admin", input: (fx) => ({ organizationId: fx.a.organizationId, reason: "teste de acesso" }) },
  "admin.reactivateOrganization": { access: "admin", input: (fx) => ({ organizationId: fx.a.organizationId }), setup: (fx) => suspend(fx.a.organizationId) },
  "admin.users": { access: "admin", input: () => ({ limit: 5, search: "example.test" }) },
  "admin.banUser": { access: "admin", input: (fx) => ({ userId: fx.a.users.VIEWER.userId, reason: "teste de acesso" }) },
  "admin.unbanUser": { access: "admin", input: (fx) => ({ userId: fx.a.users.VIEWER.userId }) },
  "admin.flags": { access: "admin", input: () => undefined },
  "admin.setFlag": { access: "admin", input: () => ({ key: "test.access-flag", enabled: false }) },
  "admin.setFlagOverride": { access: "admin", input: (fx) => ({ key: "ai.llm", organizationId: fx.a.organizationId, enabled: true }) },
  "admin.flagOverrides": { access: "admin", input: () => ({ key: "ai.llm" }) },
  "admin.maintenance": { access: "admin", input: () => undefined },
  "admin.setMaintenance": { access: "admin", input: () => ({ enabled: false, message: "" }) },
  "admin.plans": { access: "admin", input: () => undefined },
  "admin.updatePlan": { access: "admin", input: () => FREE_PLAN },
  "admin.createPlan": {
    access: "admin",
    input: () => ({ ...FREE_PLAN, code: `teste-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`, name: "Plano Teste", priceMonthlyCents: 100, priceYearlyCents: 1000, active: false }),
  },
};

async function suspend(organizationId: string) {
  await db.organization.update({ where: { id: organizationId }, data: { status: "SUSPENDED", suspendedAt: new Date(), suspendedReason: "teste" } });
}
