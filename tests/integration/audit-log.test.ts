/**
 * The audit log: append-only in the database (UPDATE, DELETE and TRUNCATE refused by the trigger,
 * allowed only inside a transaction that opted in with allowAuditMaintenance), the owners' page
 * filters (action or area, actor, days in the organization's time zone, target id) with device
 * labels, and the CSV export (filtered, CSV-injection safe, audited, owners only, one tenant).
 */
import { beforeAll, describe, expect, it } from "vitest";

import { Prisma } from "~/generated/prisma/client";
import { allowAuditMaintenance } from "~/server/repositories/audit";
import { audit } from "~/server/services/audit";
import { callerFor, createOrgFixture, db, outcome, type OrgFixture } from "./helpers/fixtures";

const CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
const SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";

const refused = /append-only/;

async function entry(organizationId: string | null, action = "test.append_only") {
  return db.auditLog.create({ data: { organizationId, action, metadata: { n: 1 } }, select: { id: true } });
}

describe("append-only audit_logs", () => {
  let fx: OrgFixture;
  beforeAll(async () => {
    fx = await createOrgFixture("audit-append");
  });

  it("refuses UPDATE, DELETE and TRUNCATE through raw SQL, and updates/deletes through Prisma", async () => {
    const { id } = await entry(fx.organizationId);
    await expect(db.$executeRaw`UPDATE audit_logs SET action = 'forged' WHERE id = ${id}`).rejects.toThrow(refused);
    await expect(db.$executeRaw`UPDATE audit_logs SET metadata = '{}'::jsonb, ip = '10.0.0.1' WHERE organization_id = ${fx.organizationId}`).rejects.toThrow(refused);
    await expect(db.$executeRaw`DELETE FROM audit_logs WHERE id = ${id}`).rejects.toThrow(refused);
    await expect(db.$executeRawUnsafe("TRUNCATE audit_logs")).rejects.toThrow(refused);
    await expect(db.auditLog.update({ where: { id }, data: { action: "forged" } })).rejects.toThrow();
    await expect(db.auditLog.deleteMany({ where: { organizationId: fx.organizationId } })).rejects.toThrow();
    const row = await db.auditLog.findUniqueOrThrow({ where: { id } });
    expect(row.action).toBe("test.append_only");
    expect(row.metadata).toEqual({ n: 1 });
  });

  it("the SQL error is the trigger's (insufficient_privilege), not a missing row", async () => {
    const { id } = await entry(fx.organizationId);
    try {
      await db.$executeRaw`DELETE FROM audit_logs WHERE id = ${id}`;
      expect.unreachable("the delete went through");
    } catch (error) {
      expect(String((error as Error).message)).toMatch(/audit_logs is append-only \(DELETE refused\)/);
    }
  });

  it("with allowAuditMaintenance inside a transaction: UPDATE and DELETE work (retention, erasure); afterwards they are refused again", async () => {
    const kept = await entry(fx.organizationId);
    const removed = await entry(fx.organizationId);
    await db.$transaction(async (tx) => {
      await allowAuditMaintenance(tx);
      await tx.$executeRaw`UPDATE audit_logs SET ip = NULL, user_agent = NULL WHERE id = ${kept.id}`;
      await tx.$executeRaw`DELETE FROM audit_logs WHERE id = ${removed.id}`;
    });
    expect(await db.auditLog.findUnique({ where: { id: removed.id } })).toBeNull();
    expect(await db.auditLog.findUnique({ where: { id: kept.id } })).not.toBeNull();
    // The setting was transaction-local: the next statements are refused.
    await expect(db.$executeRaw`DELETE FROM audit_logs WHERE id = ${kept.id}`).rejects.toThrow(refused);
    await expect(db.$transaction(async (tx) => tx.$executeRaw`UPDATE audit_logs SET action = 'x' WHERE id = ${kept.id}`)).rejects.toThrow(refused);
  });

  it("allowAuditMaintenance outside a transaction opens nothing (the setting dies with its own statement)", async () => {
    const { id } = await entry(fx.organizationId);
    await allowAuditMaintenance(db);
    await expect(db.$executeRaw`DELETE FROM audit_logs WHERE id = ${id}`).rejects.toThrow(refused);
    // A session-wide attempt by hand is no way around it either: the value must be 'on' in this transaction.
    await expect(
      db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('superseller.audit_maintenance', 'off', true)`;
        await tx.$executeRaw`DELETE FROM audit_logs WHERE id = ${id}`;
      }),
    ).rejects.toThrow(refused);
    expect(await db.auditLog.findUnique({ where: { id } })).not.toBeNull();
  });

  it("TRUNCATE works only with maintenance on (rolled back here, so nothing is lost)", async () => {
    await entry(fx.organizationId);
    const before = await db.auditLog.count();
    const rollback = new Error("rollback");
    let insideCount = -1;
    await expect(
      db.$transaction(async (tx) => {
        await allowAuditMaintenance(tx);
        await tx.$executeRawUnsafe("TRUNCATE audit_logs");
        insideCount = await tx.auditLog.count();
        throw rollback;
        // TRUNCATE waits for other tests' open transactions on audit_logs: give it time.
      }, { maxWait: 20_000, timeout: 30_000 }),
    ).rejects.toBe(rollback);
    expect(insideCount).toBe(0);
    expect(await db.auditLog.count()).toBeGreaterThanOrEqual(before);
  });

  it("a rolled-back failure leaves the entry as it was (Prisma's error is a known request error)", async () => {
    const { id } = await entry(fx.organizationId);
    const error = await db.auditLog.update({ where: { id }, data: { action: "forged" } }).catch((e: unknown) => e);
    expect(error instanceof Prisma.PrismaClientKnownRequestError || error instanceof Error).toBe(true);
    expect((await db.auditLog.findUniqueOrThrow({ where: { id } })).action).toBe("test.append_only");
  });
});

describe("the owners' audit page: filters and devices", () => {
  let fx: OrgFixture;
  let other: OrgFixture;
  beforeAll(async () => {
    fx = await createOrgFixture("audit-filters");
    other = await createOrgFixture("audit-filters-other");
    await db.organization.update({ where: { id: fx.organizationId }, data: { timeZone: "America/Sao_Paulo" } });
    const org = fx.organizationId;
    const rows: Prisma.AuditLogCreateManyInput[] = [
      // 2026-03-09 23:30 in São Paulo (UTC−3) is 2026-03-10 02:30 UTC.
      { organizationId: org, actorUserId: fx.users.OWNER.userId, action: "member.role_changed", targetType: "membership", targetId: "mem_target_1", ip: "198.51.100.7", userAgent: CHROME_WINDOWS, createdAt: new Date("2026-03-10T02:30:00Z") },
      // 2026-03-10 00:30 in São Paulo.
      { organizationId: org, actorUserId: fx.users.MANAGER.userId, action: "member.removed", targetType: "membership", targetId: "mem_target_2", ip: "198.51.100.8", userAgent: SAFARI_IPHONE, createdAt: new Date("2026-03-10T03:30:00Z") },
      { organizationId: org, actorUserId: fx.users.MANAGER.userId, action: "invitation.created", targetType: "invitation", targetId: "inv_target_3", createdAt: new Date("2026-03-12T15:00:00Z") },
      { organizationId: org, actorUserId: null, action: "connection.needsReconnect", targetType: "connection", targetId: "conn_target_4", createdAt: new Date("2026-03-15T12:00:00Z") },
      { organizationId: other.organizationId, actorUserId: other.users.OWNER.userId, action: "member.removed", targetType: "membership", targetId: "mem_target_2", createdAt: new Date("2026-03-10T03:30:00Z") },
    ];
    await db.auditLog.createMany({ data: rows });
  });

  const owner = () => callerFor(fx.users.OWNER.userId);
  const inMarch = { from: "2026-03-01", to: "2026-03-31" };

  it("filters by exact action and by area prefix", async () => {
    const caller = await owner();
    const exact = await caller.tenants.audit({ limit: 50, action: "member.removed" });
    expect(exact.items.map((e) => e.targetId)).toEqual(["mem_target_2"]);
    const area = await caller.tenants.audit({ limit: 50, action: "member.", ...inMarch });
    expect(area.items.map((e) => e.action)).toEqual(["member.removed", "member.role_changed"]);
    // A prefix without the dot is an exact name: nothing is called "member".
    expect((await caller.tenants.audit({ limit: 50, action: "member" })).items).toEqual([]);
  });

  it("filters by actor; someone who never belonged to the organization is NOT_FOUND", async () => {
    const caller = await owner();
    const byManager = await caller.tenants.audit({ limit: 50, actorUserId: fx.users.MANAGER.userId, ...inMarch });
    expect(byManager.items.map((e) => e.action)).toEqual(["invitation.created", "member.removed"]);
    expect(byManager.items.every((e) => e.actor?.id === fx.users.MANAGER.userId)).toBe(true);
    expect(await outcome(() => caller.tenants.audit({ limit: 50, actorUserId: other.users.OWNER.userId }))).toBe("NOT_FOUND");
    expect(await outcome(() => caller.tenants.audit({ limit: 50, actorUserId: "no-such-user" }))).toBe("NOT_FOUND");
  });

  it("filters by days in the organization's time zone (both days included)", async () => {
    const caller = await owner();
    const ninth = await caller.tenants.audit({ limit: 50, from: "2026-03-09", to: "2026-03-09" });
    expect(ninth.items.map((e) => e.targetId)).toEqual(["mem_target_1"]);
    const tenth = await caller.tenants.audit({ limit: 50, from: "2026-03-10", to: "2026-03-10" });
    expect(tenth.items.map((e) => e.targetId)).toEqual(["mem_target_2"]);
    const tenthOn = await caller.tenants.audit({ limit: 50, from: "2026-03-10", to: "2026-03-15" });
    expect(tenthOn.items.map((e) => e.targetId)).toEqual(["conn_target_4", "inv_target_3", "mem_target_2"]);
    expect((await caller.tenants.audit({ limit: 50, from: "2026-03-16", to: "2026-03-01" })).items).toEqual([]);
    expect(await outcome(() => caller.tenants.audit({ limit: 50, from: "2026-02-30" }))).toBe("BAD_REQUEST");
    expect(await outcome(() => caller.tenants.audit({ limit: 50, from: "10/03/2026" }))).toBe("BAD_REQUEST");
  });

  it("filters by target id (exact), never across organizations", async () => {
    const caller = await owner();
    const found = await caller.tenants.audit({ limit: 50, targetId: " mem_target_2 " });
    expect(found.items).toHaveLength(1);
    expect(found.items[0]!.actor?.id).toBe(fx.users.MANAGER.userId);
    expect((await caller.tenants.audit({ limit: 50, targetId: "mem_target" })).items).toEqual([]);
  });

  it("keeps the filter across pages", async () => {
    const caller = await owner();
    const first = await caller.tenants.audit({ limit: 1, ...inMarch });
    const second = await caller.tenants.audit({ limit: 1, ...inMarch, cursor: first.nextCursor! });
    const third = await caller.tenants.audit({ limit: 2, ...inMarch, cursor: second.nextCursor! });
    expect([...first.items, ...second.items, ...third.items].map((e) => e.targetId)).toEqual(["conn_target_4", "inv_target_3", "mem_target_2", "mem_target_1"]);
    expect(third.nextCursor).toBeNull();
  });

  it("shows where from: IP and the device read from the user agent", async () => {
    const caller = await owner();
    const { items } = await caller.tenants.audit({ limit: 50, action: "member.", ...inMarch });
    const chrome = items.find((e) => e.targetId === "mem_target_1")!;
    expect(chrome.ip).toBe("198.51.100.7");
    expect(chrome.device).toEqual({ browser: "Chrome 120", os: "Windows 10", device: "desktop" });
    const iphone = items.find((e) => e.targetId === "mem_target_2")!;
    expect(iphone.device.browser).toMatch(/^Safari/);
    expect(iphone.device.os).toMatch(/^iOS/);
    expect(iphone.device.device).toBe("mobile");
    const system = (await caller.tenants.audit({ limit: 50, action: "connection.needsReconnect" })).items[0]!;
    expect(system.actor).toBeNull();
    expect(system.device).toEqual({ browser: null, os: null, device: null });
  });

  it("offers the actions and actors of this organization's log only", async () => {
    const facets = await (await owner()).tenants.auditFacets();
    expect(facets.actions).toEqual(expect.arrayContaining(["connection.needsReconnect", "invitation.created", "member.removed", "member.role_changed"]));
    expect(facets.actors.map((a) => a.id).sort()).toEqual([fx.users.MANAGER.userId, fx.users.OWNER.userId].sort());
    const theirs = await (await callerFor(other.users.OWNER.userId)).tenants.auditFacets();
    expect(theirs.actors.map((a) => a.id)).toEqual([other.users.OWNER.userId]);
  });

  it("is for owners only (the page, the choices and the export)", async () => {
    for (const role of ["MANAGER", "OPERATOR", "VIEWER"] as const) {
      const caller = await callerFor(fx.users[role].userId);
      expect(await outcome(() => caller.tenants.audit({ limit: 10 }))).toBe("FORBIDDEN");
      expect(await outcome(() => caller.tenants.auditFacets())).toBe("FORBIDDEN");
      expect(await outcome(() => caller.tenants.auditExport({}))).toBe("FORBIDDEN");
    }
    const anonymous = await callerFor(null);
    expect(await outcome(() => anonymous.tenants.audit({ limit: 10 }))).toBe("UNAUTHORIZED");
    expect(await outcome(() => anonymous.tenants.auditExport({}))).toBe("UNAUTHORIZED");
  });
});

/** RFC 4180 parser (quotes, doubled quotes, CRLF) — enough to read the export back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

describe("CSV export", () => {
  let fx: OrgFixture;
  let other: OrgFixture;
  beforeAll(async () => {
    fx = await createOrgFixture("audit-export");
    other = await createOrgFixture("audit-export-other");
    const who = { organizationId: fx.organizationId, userId: fx.users.MANAGER.userId, request: { correlationId: "c1", ip: "203.0.113.99", userAgent: CHROME_WINDOWS } };
    await audit(db, who, "webhook.endpointCreated", { type: "webhookEndpoint", id: '=HYPERLINK("http://evil.example","x")' }, { url: "+cmd|' /C calc'!A0", note: "a,b\"c\nd" });
    await audit(db, who, "member.removed", { type: "membership", id: "@SUM(1+1)" });
    await audit(db, { ...who, userId: fx.users.OWNER.userId }, "organization.updated", { type: "organization", id: fx.organizationId });
    await audit(db, { organizationId: other.organizationId, userId: other.users.OWNER.userId }, "organization.updated", { type: "organization", id: `secret-of-${other.organizationId}` });
  });

  it("exports the filtered log, CSV-injection safe, readable back, and records the export", async () => {
    const caller = await callerFor(fx.users.OWNER.userId);
    const result = await caller.tenants.auditExport({ actorUserId: fx.users.MANAGER.userId });
    expect(result.fileName).toMatch(/^super-seller-auditoria-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(result.truncated).toBe(false);
    expect(result.csv.startsWith("\uFEFF")).toBe(true);
    const [header, ...rows] = parseCsv(result.csv.slice(1));
    expect(header).toEqual(["created_at_utc", "actor_name", "actor_email", "action", "target_type", "target_id", "ip", "browser", "os", "device", "user_agent", "metadata"]);
    expect(rows).toHaveLength(2);
    expect(result.rows).toBe(2);
    const col = (name: string) => header!.indexOf(name);
    const hook = rows.find((r) => r[col("action")] === "webhook.endpointCreated")!;
    // Formula starters are neutralised with a leading apostrophe; the text is otherwise intact.
    expect(hook[col("target_id")]).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(JSON.parse(hook[col("metadata")]!)).toEqual({ url: "+cmd|' /C calc'!A0", note: 'a,b"c\nd' });
    expect(hook[col("ip")]).toBe("203.0.113.99");
    expect(hook[col("browser")]).toBe("Chrome 120");
    expect(hook[col("os")]).toBe("Windows 10");
    expect(hook[col("actor_email")]).toBe(fx.users.MANAGER.email);
    const removed = rows.find((r) => r[col("action")] === "member.removed")!;
    expect(removed[col("target_id")]).toBe("'@SUM(1+1)");
    // No cell of the raw file starts with a formula character.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);

    const recorded = await db.auditLog.findFirstOrThrow({ where: { organizationId: fx.organizationId, action: "audit.exported" }, orderBy: { createdAt: "desc" } });
    expect(recorded.actorUserId).toBe(fx.users.OWNER.userId);
    expect(recorded.metadata).toEqual({ rows: 2, truncated: false, filter: { actorUserId: fx.users.MANAGER.userId } });
    expect(recorded.ip).toBe("203.0.113.10");
  });

  it("never contains another organization's entries", async () => {
    const caller = await callerFor(fx.users.OWNER.userId);
    const all = await caller.tenants.auditExport({});
    expect(all.csv).not.toContain(other.organizationId);
    expect(all.csv).not.toContain(other.users.OWNER.email);
    expect(all.csv).toContain(fx.organizationId);
    const theirs = await (await callerFor(other.users.OWNER.userId)).tenants.auditExport({});
    expect(theirs.csv).toContain(`secret-of-${other.organizationId}`);
    expect(theirs.csv).not.toContain(fx.organizationId);
    // Filtering by one of A's people from B is NOT_FOUND, not an empty file.
    expect(await outcome(async () => (await callerFor(other.users.OWNER.userId)).tenants.auditExport({ actorUserId: fx.users.MANAGER.userId }))).toBe("NOT_FOUND");
  });

  it("is refused to every role but the owner, and to anonymous callers, recording nothing", async () => {
    const before = await db.auditLog.count({ where: { organizationId: fx.organizationId, action: "audit.exported" } });
    for (const role of ["MANAGER", "OPERATOR", "VIEWER"] as const) {
      expect(await outcome(async () => (await callerFor(fx.users[role].userId)).tenants.auditExport({}))).toBe("FORBIDDEN");
    }
    expect(await outcome(async () => (await callerFor(null)).tenants.auditExport({}))).toBe("UNAUTHORIZED");
    expect(await db.auditLog.count({ where: { organizationId: fx.organizationId, action: "audit.exported" } })).toBe(before);
  });

  it("is rate-limited per owner (TOO_MANY_REQUESTS, never a 500)", async () => {
    const fresh = await createOrgFixture("audit-export-limit");
    const caller = await callerFor(fresh.users.OWNER.userId);
    const outcomes: string[] = [];
    for (let i = 0; i < 11; i++) outcomes.push(await outcome(() => caller.tenants.auditExport({})));
    expect(outcomes.slice(0, 10).every((o) => o === "OK")).toBe(true);
    expect(outcomes[10]).toBe("TOO_MANY_REQUESTS");
  });
});
