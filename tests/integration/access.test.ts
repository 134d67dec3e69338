/**
 * The automatic access test. It enumerates every procedure of appRouter and checks each against
 * the explicit table below. A procedure missing from the table (or a table row without a
 * procedure) fails. For each procedure:
 *   - public: reachable without a session;
 *   - protected/tenant: anonymous callers get UNAUTHORIZED;
 *   - tenant: the declared permission matches the code, every role without it gets FORBIDDEN, and
 *     the least role with it gets through;
 *   - another organization's caller aiming at this organization's rows gets NOT_FOUND, and no
 *     response to another tenant ever contains one of this organization's ids.
 * Every later feature adds its procedures here.
 */
import { beforeAll, describe, expect, it } from "vitest";

import type { Role } from "~/generated/prisma/enums";
import { appRouter } from "~/server/api/root";
import { can, minimumRole, ROLE_RANK, ROLES, type Permission } from "~/server/auth/permissions";
import { adminAccess, createPlatformAdmin } from "./access/admin";
import { analyticsAccess } from "./access/analytics";
import { archiveAccess } from "./access/archive";
import { billingAccess } from "./access/billing";
import { circuitsAccess } from "./access/circuits";
import { contentAccess } from "./access/content";
import { developersAccess } from "./access/developers";
import { engagementAccess } from "./access/engagement";
import { mediaAccess } from "./access/media";
import { notificationsAccess } from "./access/notifications";
import { publicationsAccess } from "./access/publications";
import { privacyAccess } from "./access/privacy";
import { productTelemetryAccess } from "./access/product-telemetry";
import { searchAccess } from "./access/search";
import { sessionsAccess } from "./access/sessions";
import { twoFactorAccess } from "./access/two-factor";
import { webhooksAccess } from "./access/webhooks";
import { callerFor, createOrgFixture, type OrgFixture, uniqueEmail } from "./helpers/fixtures";

export type Fx = { a: OrgFixture; b: OrgFixture };
type Input = (fx: Fx) => unknown;

export type Rule =
  | { access: "public"; input: Input }
  | {
      access: "protected";
      input: Input;
      /** Who the positive check runs as (default: organization B's owner). */
      actor?: (fx: Fx) => string;
      crossTenant?: { input: Input; expect: string };
    }
  | {
      access: "tenant";
      permission: Permission;
      /** The least role allowed, written out here so a loosened permission table fails this test. */
      minRole: Role;
      input: Input;
      /** The input names one of organization A's rows: B's owner must get NOT_FOUND. */
      targetsRow?: boolean;
      /** Prepares the fixture the allowed role's call runs against. */
      setup?: (fx: Fx) => Promise<unknown>;
    }
  | {
      /** Platform admin procedures: no organization role opens them, only User.isPlatformAdmin. */
      access: "admin";
      input: Input;
      /** Prepares the fixture the platform admin's call runs against. */
      setup?: (fx: Fx) => Promise<unknown>;
    };

const none: Input = () => undefined;

const CORE_TABLE: Record<string, Rule> = {
  "auth.signUp": {
    access: "public",
    input: () => ({ name: "Nova Pessoa", email: uniqueEmail("signup"), password: "correct horse battery staple 9" }),
  },
  "tenants.mine": { access: "protected", input: none },
  "tenants.create": { access: "protected", input: () => ({ name: "Outra Loja" }) },
  "tenants.switch": {
    access: "protected",
    input: (fx) => ({ organizationId: fx.b.organizationId }),
    crossTenant: { input: (fx) => ({ organizationId: fx.a.organizationId }), expect: "NOT_FOUND" },
  },
  "tenants.current": { access: "tenant", permission: "org:read", minRole: "VIEWER", input: none },
  "tenants.update": { access: "tenant", permission: "org:update", minRole: "MANAGER", input: () => ({ name: "Nome Novo" }) },
  "tenants.leave": { access: "tenant", permission: "org:read", minRole: "VIEWER", input: none },
  "tenants.members.list": { access: "tenant", permission: "members:read", minRole: "VIEWER", input: none },
  "tenants.members.changeRole": {
    access: "tenant",
    permission: "members:manage", minRole: "MANAGER",
    input: (fx) => ({ membershipId: fx.a.users.VIEWER.membershipId, role: "OPERATOR" }),
    targetsRow: true,
  },
  "tenants.members.remove": {
    access: "tenant",
    permission: "members:manage", minRole: "MANAGER",
    input: (fx) => ({ membershipId: fx.a.users.VIEWER.membershipId }),
    targetsRow: true,
  },
  "tenants.invitations.list": { access: "tenant", permission: "members:invite", minRole: "MANAGER", input: none },
  "tenants.invitations.create": {
    access: "tenant",
    permission: "members:invite", minRole: "MANAGER",
    input: () => ({ email: uniqueEmail("invite"), role: "VIEWER" }),
  },
  "tenants.invitations.revoke": {
    access: "tenant",
    permission: "members:invite", minRole: "MANAGER",
    input: (fx) => ({ invitationId: fx.a.invitationId }),
    targetsRow: true,
  },
  "tenants.invitations.preview": { access: "public", input: (fx) => ({ token: fx.a.invitationToken }) },
  "tenants.invitations.accept": {
    access: "protected",
    input: (fx) => ({ token: fx.b.invitationToken }),
    actor: (fx) => fx.b.inviteeUserId,
    // B's owner holding A's link (addressed to someone else) cannot use it to join A.
    crossTenant: { input: (fx) => ({ token: fx.a.invitationToken }), expect: "FORBIDDEN" },
  },
  "tenants.audit": {
    access: "tenant",
    permission: "audit:read",
    minRole: "OWNER",
    // Filtered by one of A's members: another organization's owner gets NOT_FOUND.
    input: (fx) => ({ limit: 50, actorUserId: fx.a.users.MANAGER.userId }),
    targetsRow: true,
  },
  "tenants.auditFacets": { access: "tenant", permission: "audit:read", minRole: "OWNER", input: none },
  "tenants.auditExport": {
    access: "tenant",
    permission: "audit:read",
    minRole: "OWNER",
    input: (fx) => ({ actorUserId: fx.a.users.OWNER.userId, from: "2020-01-01" }),
    targetsRow: true,
  },
  "connectors.list": { access: "tenant", permission: "connections:read", minRole: "VIEWER", input: none },
  "connectors.cards": { access: "tenant", permission: "connections:read", minRole: "VIEWER", input: none },
  "connectors.providers": { access: "tenant", permission: "connections:read", minRole: "VIEWER", input: none },
  "connectors.disconnect": {
    access: "tenant",
    permission: "connections:manage", minRole: "MANAGER",
    input: (fx) => ({ connectionId: fx.a.connectionId }),
    targetsRow: true,
  },
  "connectors.resync": {
    access: "tenant",
    permission: "connections:manage", minRole: "MANAGER",
    input: (fx) => ({ connectionId: fx.a.connectionId }),
    targetsRow: true,
  },
  "listings.list": { access: "tenant", permission: "listings:read", minRole: "VIEWER", input: () => ({ limit: 50 }) },
  "listings.get": { access: "tenant", permission: "listings:read", minRole: "VIEWER", input: (fx) => ({ id: fx.a.listingId }), targetsRow: true },
  "listings.metrics": { access: "tenant", permission: "listings:read", minRole: "VIEWER", input: (fx) => ({ id: fx.a.listingId, days: 30 }), targetsRow: true },
  "listings.categories": { access: "tenant", permission: "listings:read", minRole: "VIEWER", input: none },
  "scores.summary": { access: "tenant", permission: "scores:read", minRole: "VIEWER", input: none },
  "scores.listing": { access: "tenant", permission: "scores:read", minRole: "VIEWER", input: (fx) => ({ listingId: fx.a.listingId }), targetsRow: true },
  "scores.recompute": {
    access: "tenant",
    permission: "scores:recompute", minRole: "OPERATOR",
    input: (fx) => ({ listingId: fx.a.listingId }),
    targetsRow: true,
  },
  "scores.weights": { access: "tenant", permission: "scores:read", minRole: "VIEWER", input: none },
  "scores.setWeights": {
    access: "tenant",
    permission: "scores:configure", minRole: "MANAGER",
    input: () => ({ weights: { marketplaceQuality: 20, contentCompleteness: 15, images: 15, offerCompetitiveness: 15, conversion: 15, stockHealth: 10, purchaseExperience: 10 } }),
  },
  "actions.list": { access: "tenant", permission: "actions:read", minRole: "VIEWER", input: () => ({ limit: 50 }) },
  "actions.get": { access: "tenant", permission: "actions:read", minRole: "VIEWER", input: (fx) => ({ id: fx.a.actionId }), targetsRow: true },
  "actions.effectsSummary": { access: "tenant", permission: "actions:read", minRole: "VIEWER", input: none },
  "actions.approve": {
    access: "tenant",
    permission: "actions:approve", minRole: "OPERATOR",
    // The fixture is an ADD_PHOTOS suggestion without URLs: approved after the seller adds one.
    input: (fx) => ({ id: fx.a.actionId, payload: { currentCount: 0, targetCount: 3, pictureUrls: ["https://example.com/foto-1.jpg"] } }),
    targetsRow: true,
  },
  "actions.reject": { access: "tenant", permission: "actions:approve", minRole: "OPERATOR", input: (fx) => ({ id: fx.a.actionId, note: "não agora" }), targetsRow: true },
  "actions.bulkApprove": { access: "tenant", permission: "actions:approve", minRole: "OPERATOR", input: (fx) => ({ ids: [fx.a.actionId, fx.a.titleActionId] }), targetsRow: true },
  "actions.regenerateCopy": { access: "tenant", permission: "actions:approve", minRole: "OPERATOR", input: (fx) => ({ id: fx.a.titleActionId }), targetsRow: true },
  "actions.retry": { access: "tenant", permission: "actions:approve", minRole: "OPERATOR", input: (fx) => ({ id: fx.a.failedActionId }), targetsRow: true },
  "jobs.list": { access: "tenant", permission: "jobs:read", minRole: "OWNER", input: () => ({ limit: 50 }) },
  "jobs.retry": {
    access: "tenant",
    permission: "jobs:retry", minRole: "OWNER",
    input: (fx) => ({ runId: fx.a.jobRunId }),
    targetsRow: true,
  },
};

/** Rows of later features live next to this file (tests/integration/access/<area>.ts), one per area. */
export const ACCESS_TABLE: Record<string, Rule> = { ...CORE_TABLE, ...circuitsAccess, ...contentAccess, ...mediaAccess, ...publicationsAccess, ...analyticsAccess, ...engagementAccess, ...adminAccess, ...billingAccess, ...developersAccess, ...webhooksAccess, ...sessionsAccess, ...twoFactorAccess, ...privacyAccess, ...productTelemetryAccess, ...searchAccess, ...notificationsAccess, ...archiveAccess };

type AnyProcedure = { _def: { type: "query" | "mutation" | "subscription"; meta?: { permission?: Permission } } };
const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;

async function call(userId: string | null, path: string, input: unknown) {
  const caller = (await callerFor(userId)) as unknown as Record<string, unknown>;
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (i: unknown) => Promise<unknown>;
  try {
    return { code: "OK", result: await fn(input) };
  } catch (error) {
    return { code: (error as { code?: string }).code ?? "THREW", error };
  }
}

async function freshFixtures(): Promise<Fx> {
  return { a: await createOrgFixture("alfa"), b: await createOrgFixture("beta") };
}

describe("access table", () => {
  it("lists exactly the procedures of appRouter", () => {
    const inRouter = Object.keys(procedures).sort();
    const inTable = Object.keys(ACCESS_TABLE).sort();
    expect(inRouter.filter((p) => !inTable.includes(p)), "procedures missing from ACCESS_TABLE").toEqual([]);
    expect(inTable.filter((p) => !inRouter.includes(p)), "table rows without a procedure").toEqual([]);
  });

  it("declares the same permission in the table and in the code", () => {
    for (const [path, rule] of Object.entries(ACCESS_TABLE)) {
      const declared = procedures[path]?._def.meta?.permission;
      expect(declared, path).toEqual(rule.access === "tenant" ? rule.permission : undefined);
    }
  });
});

describe.each(Object.entries(ACCESS_TABLE))("%s", (path, rule) => {
  let fx: Fx;
  beforeAll(async () => {
    fx = await freshFixtures();
  });

  if (rule.access === "public") {
    it("is reachable without a session", async () => {
      const { code } = await call(null, path, rule.input(fx));
      expect(code).toBe("OK");
    });
    return;
  }

  it("rejects anonymous callers with UNAUTHORIZED", async () => {
    const { code } = await call(null, path, rule.input(fx));
    expect(code).toBe("UNAUTHORIZED");
  });

  if (rule.access === "admin") {
    it("rejects an organization OWNER who is not a platform admin with FORBIDDEN", async () => {
      const { code } = await call(fx.b.users.OWNER.userId, path, rule.input(fx));
      expect(code).toBe("FORBIDDEN");
    });
    it("serves a platform admin without any membership", async () => {
      const isMutation = procedures[path]?._def.type === "mutation";
      const target = isMutation ? await freshFixtures() : fx;
      await rule.setup?.(target);
      const { code, error } = await call(await createPlatformAdmin(), path, rule.input(target));
      expect(code, String(error)).toBe("OK");
    });
    return;
  }

  if (rule.access === "protected") {
    it("serves a signed-in user", async () => {
      const actor = rule.actor?.(fx) ?? fx.b.users.OWNER.userId;
      const { code, error } = await call(actor, path, rule.input(fx));
      expect(code, String(error)).toBe("OK");
    });
    if (rule.crossTenant) {
      const cross = rule.crossTenant;
      it(`refuses another organization's rows with ${cross.expect}`, async () => {
        const { code } = await call(fx.b.users.OWNER.userId, path, cross.input(fx));
        expect(code).toBe(cross.expect);
      });
    }
    return;
  }

  it("allows exactly the roles from the table's least role upwards", () => {
    expect(minimumRole(rule.permission)).toBe(rule.minRole);
    const allowed = ROLES.filter((role) => can(role, rule.permission));
    expect(allowed).toEqual(ROLES.filter((role) => ROLE_RANK[role] >= ROLE_RANK[rule.minRole]));
  });

  const denied = ROLES.filter((role) => ROLE_RANK[role] < ROLE_RANK[rule.minRole]);
  if (denied.length > 0) {
    it.each(denied)(`rejects %s with FORBIDDEN`, async (role: Role) => {
      const { code } = await call(fx.a.users[role].userId, path, rule.input(fx));
      expect(code).toBe("FORBIDDEN");
    });
  }

  it("lets the least role holding the permission through", async () => {
    const role = rule.minRole;
    const isMutation = procedures[path]?._def.type === "mutation";
    // Mutations run against a fresh fixture so they cannot disturb the other checks.
    const target = isMutation ? await freshFixtures() : fx;
    await rule.setup?.(target);
    const { code, error } = await call(target.a.users[role].userId, path, rule.input(target));
    expect(code, String(error)).toBe("OK");
  });

  it("never reveals another organization's rows", async () => {
    const { code, result } = await call(fx.b.users.OWNER.userId, path, rule.input(fx));
    if (rule.targetsRow) expect(code).toBe("NOT_FOUND");
    const leaked = fx.a.allIds().filter((id) => JSON.stringify(result ?? null).includes(id));
    expect(leaked).toEqual([]);
  });
});
