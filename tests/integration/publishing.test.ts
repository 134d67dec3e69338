/**
 * Scheduling rules (schedule, reschedule, cancel, retry, lists, calendar), the content-change hook,
 * the dispatcher's claims and the notifications, against a real PostgreSQL. The publish runs
 * themselves are in publishing-engine.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";

import type { PublicationStatus } from "~/generated/prisma/enums";
import { notify } from "~/server/services/notifications/notify";
import { reserveProviderQuota } from "~/server/repositories/publications";
import { dispatchDue, STALLED_DISPATCH_MS } from "~/server/services/publishing/dispatch";
import { providerQuotaDay } from "~/server/services/publishing/engine";
import { contentChanged } from "~/server/services/publishing/hooks";
import { callerFor, createOrgFixture, db, outcome, tenantCtxOf, type OrgFixture } from "./helpers/fixtures";

const MIN = 60_000;
const DAY = 86_400_000;
const inMinutes = (m: number) => new Date(Date.now() + m * MIN);

let fx: OrgFixture;
let other: OrgFixture;

/** A content ready for Instagram (approved, valid variant, one READY square JPEG). */
async function readyContent(org: OrgFixture, title = "Post pronto") {
  const content = await db.content.create({ data: { organizationId: org.organizationId, title, baseCaption: "Legenda", status: "APPROVED", createdById: org.users.OWNER.userId } });
  await db.contentVariant.create({ data: { organizationId: org.organizationId, contentId: content.id, network: "INSTAGRAM", caption: "Legenda do post", hashtags: ["loja"] } });
  await db.media.create({
    data: { organizationId: org.organizationId, contentId: content.id, storageKey: `${org.organizationId}/${content.id}.jpg`, fileName: "a.jpg", mimeType: "image/jpeg", sizeBytes: 2048n, checksumSha256: "1".repeat(64), width: 1080, height: 1080, status: "READY" },
  });
  return content.id;
}

async function instagramAccount(org: OrgFixture, status: "ACTIVE" | "NEEDS_RECONNECT" = "ACTIVE") {
  const c = await db.connection.create({
    data: { organizationId: org.organizationId, provider: "INSTAGRAM", kind: "SOCIAL", externalAccountId: `ig-${Math.random().toString(36).slice(2)}`, accountName: "@loja", status },
  });
  return c.id;
}

async function publicationIn(status: PublicationStatus, extra: { scheduledAt?: Date; contentId?: string; connectionId?: string } = {}) {
  const contentId = extra.contentId ?? (await readyContent(fx));
  const connectionId = extra.connectionId ?? (await instagramAccount(fx));
  return db.publication.create({ data: { organizationId: fx.organizationId, contentId, connectionId, scheduledAt: extra.scheduledAt ?? inMinutes(60), status } });
}

beforeAll(async () => {
  fx = await createOrgFixture("pub");
  other = await createOrgFixture("pub-other");
});

describe("publications.schedule", () => {
  it("creates one SCHEDULED row per account with the network's variant, and audits it", async () => {
    const contentId = await readyContent(fx);
    const [a, b] = [await instagramAccount(fx), await instagramAccount(fx)];
    const caller = await callerFor(fx.users.OPERATOR.userId);
    const rows = await caller.publications.schedule({ contentId, targets: [{ connectionId: a, scheduledAt: inMinutes(30) }, { connectionId: b, scheduledAt: inMinutes(90) }] });
    expect(rows.map((r) => [r.connectionId, r.status, r.network])).toEqual([
      [a, "SCHEDULED", "INSTAGRAM"],
      [b, "SCHEDULED", "INSTAGRAM"],
    ]);
    const stored = await db.publication.findMany({ where: { contentId }, select: { variantId: true, createdById: true } });
    const variant = await db.contentVariant.findFirstOrThrow({ where: { contentId, network: "INSTAGRAM" } });
    expect(stored.every((s) => s.variantId === variant.id && s.createdById === fx.users.OPERATOR.userId)).toBe(true);
    expect(await db.auditLog.count({ where: { organizationId: fx.organizationId, action: "publication.scheduled", targetId: { in: rows.map((r) => r.id) } } })).toBe(2);
  });

  it("refuses a time in the past (beyond a minute's tolerance) but accepts 30 s ago", async () => {
    const contentId = await readyContent(fx);
    const svc = await import("~/server/services/publishing/publications");
    const ctx = tenantCtxOf(fx);
    await expect(svc.schedule(ctx, { contentId, targets: [{ connectionId: await instagramAccount(fx), scheduledAt: new Date(Date.now() - 2 * MIN) }] })).rejects.toMatchObject({ reason: "scheduleInPast" });
    const [row] = await svc.schedule(ctx, { contentId, targets: [{ connectionId: await instagramAccount(fx), scheduledAt: new Date(Date.now() - 30_000) }] });
    expect(row!.status).toBe("SCHEDULED");
  });

  it("refuses a second live publication of the same content on the same account, but allows it after a cancel", async () => {
    const contentId = await readyContent(fx);
    const account = await instagramAccount(fx);
    const caller = await callerFor(fx.users.OWNER.userId);
    const [first] = await caller.publications.schedule({ contentId, targets: [{ connectionId: account, scheduledAt: inMinutes(10) }] });
    await expect(caller.publications.schedule({ contentId, targets: [{ connectionId: account, scheduledAt: inMinutes(20) }] })).rejects.toMatchObject({ code: "CONFLICT" });
    // Two schedule calls racing: exactly one wins.
    const contentId2 = await readyContent(fx);
    const results = await Promise.allSettled([1, 2, 3].map(() => caller.publications.schedule({ contentId: contentId2, targets: [{ connectionId: account, scheduledAt: inMinutes(10) }] })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    await caller.publications.cancel({ id: first!.id });
    const [again] = await caller.publications.schedule({ contentId, targets: [{ connectionId: account, scheduledAt: inMinutes(20) }] });
    expect(again!.status).toBe("SCHEDULED");
  });

  it("refuses another organization's account (NOT_FOUND), a marketplace connection and an account needing reconnection", async () => {
    const contentId = await readyContent(fx);
    const caller = await callerFor(fx.users.OWNER.userId);
    const foreign = await instagramAccount(other);
    expect(await outcome(() => caller.publications.schedule({ contentId, targets: [{ connectionId: foreign, scheduledAt: inMinutes(10) }] }))).toBe("NOT_FOUND");
    await expect(caller.publications.schedule({ contentId, targets: [{ connectionId: fx.connectionId, scheduledAt: inMinutes(10) }] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const broken = await instagramAccount(fx, "NEEDS_RECONNECT");
    await expect(caller.publications.schedule({ contentId, targets: [{ connectionId: broken, scheduledAt: inMinutes(10) }] })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    // Another organization's content on our account: NOT_FOUND too.
    const theirContent = await readyContent(other);
    const ours = await instagramAccount(fx);
    expect(await outcome(() => caller.publications.schedule({ contentId: theirContent, targets: [{ connectionId: ours, scheduledAt: inMinutes(10) }] }))).toBe("NOT_FOUND");
  });

  it("refuses a content that is not ready (no variant for the network)", async () => {
    const content = await db.content.create({ data: { organizationId: fx.organizationId, title: "Sem variante", status: "APPROVED" } });
    const caller = await callerFor(fx.users.OWNER.userId);
    await expect(caller.publications.schedule({ contentId: content.id, targets: [{ connectionId: await instagramAccount(fx), scheduledAt: inMinutes(10) }] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await db.publication.count({ where: { contentId: content.id } })).toBe(0);
  });
});

describe("reschedule, cancel, retry", () => {
  it("reschedules SCHEDULED, DISPATCHED and FAILED rows to SCHEDULED at the new time with a new version", async () => {
    for (const status of ["SCHEDULED", "DISPATCHED", "FAILED"] as const) {
      const p = await publicationIn(status);
      await db.publication.update({ where: { id: p.id }, data: { attempts: 2, failureCode: "x", lastError: "y", phase: "container", version: 4 } });
      const caller = await callerFor(fx.users.OPERATOR.userId);
      const at = inMinutes(240);
      const row = await caller.publications.reschedule({ id: p.id, scheduledAt: at });
      expect(row).toMatchObject({ status: "SCHEDULED", version: 5, attempts: 0, failureCode: null, failureReason: null });
      expect(row.scheduledAt.getTime()).toBe(at.getTime());
      const stored = await db.publication.findUniqueOrThrow({ where: { id: p.id } });
      expect(stored.phase).toBeNull();
    }
  });

  it("refuses to reschedule PUBLISHING, UNCONFIRMED and PUBLISHED rows, with a reason each", async () => {
    const caller = await callerFor(fx.users.OWNER.userId);
    const reasons: Record<string, string> = {};
    for (const status of ["PUBLISHING", "UNCONFIRMED", "PUBLISHED"] as const) {
      const p = await publicationIn(status);
      try {
        await caller.publications.reschedule({ id: p.id, scheduledAt: inMinutes(100) });
      } catch (error) {
        reasons[status] = (error as { cause?: { reason?: string } }).cause?.reason ?? (error as { code: string }).code;
      }
      expect((await db.publication.findUniqueOrThrow({ where: { id: p.id } })).status).toBe(status);
    }
    expect(Object.keys(reasons)).toEqual(["PUBLISHING", "UNCONFIRMED", "PUBLISHED"]);
  });

  it("refuses a reschedule into the past", async () => {
    const p = await publicationIn("SCHEDULED");
    const caller = await callerFor(fx.users.OWNER.userId);
    await expect(caller.publications.reschedule({ id: p.id, scheduledAt: new Date(Date.now() - 10 * MIN) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("cancels SCHEDULED/DISPATCHED/UNCONFIRMED (new version), refuses PUBLISHING/PUBLISHED", async () => {
    const caller = await callerFor(fx.users.OPERATOR.userId);
    for (const status of ["SCHEDULED", "DISPATCHED", "UNCONFIRMED"] as const) {
      const p = await publicationIn(status);
      const row = await caller.publications.cancel({ id: p.id });
      expect(row).toMatchObject({ status: "CANCELED", version: p.version + 1 });
    }
    for (const status of ["PUBLISHING", "PUBLISHED"] as const) {
      const p = await publicationIn(status);
      await expect(caller.publications.cancel({ id: p.id })).rejects.toMatchObject({ code: "CONFLICT" });
    }
  });

  it("retries a FAILED row now, with attempts reset; refuses any other status", async () => {
    const p = await publicationIn("FAILED", { scheduledAt: new Date(Date.now() - DAY) });
    await db.publication.update({ where: { id: p.id }, data: { attempts: 4, failureCode: "retries_exhausted", lastError: "x" } });
    const caller = await callerFor(fx.users.OPERATOR.userId);
    const row = await caller.publications.retry({ id: p.id });
    expect(row).toMatchObject({ status: "SCHEDULED", attempts: 0, failureCode: null, version: p.version + 1 });
    expect(Math.abs(row.scheduledAt.getTime() - Date.now())).toBeLessThan(MIN);
    await expect(caller.publications.retry({ id: p.id })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("hides another organization's publication behind NOT_FOUND for every change", async () => {
    const p = await publicationIn("FAILED");
    const caller = await callerFor(other.users.OWNER.userId);
    expect(await outcome(() => caller.publications.reschedule({ id: p.id, scheduledAt: inMinutes(10) }))).toBe("NOT_FOUND");
    expect(await outcome(() => caller.publications.cancel({ id: p.id }))).toBe("NOT_FOUND");
    expect(await outcome(() => caller.publications.retry({ id: p.id }))).toBe("NOT_FOUND");
    expect(await outcome(() => caller.publications.get({ id: p.id }))).toBe("NOT_FOUND");
  });
});

describe("lists and calendar", () => {
  it("lists by tab (scheduled oldest first, history newest first), counts per tab, filters by network, pages", async () => {
    const org = await createOrgFixture("pub-list");
    const contentId = await readyContent(org);
    const account = await instagramAccount(org);
    const mk = (status: PublicationStatus, minutes: number) =>
      db.publication.create({ data: { organizationId: org.organizationId, contentId, connectionId: account, scheduledAt: inMinutes(minutes), status } });
    const s1 = await mk("SCHEDULED", 30);
    const s2 = await mk("DISPATCHED", 10);
    const s3 = await mk("PUBLISHING", 20);
    await mk("PUBLISHED", -60);
    await mk("FAILED", -30);
    await mk("UNCONFIRMED", -10);
    const caller = await callerFor(org.users.VIEWER.userId);
    const scheduled = await caller.publications.list({ tab: "scheduled", limit: 25 });
    // The fixture's own publication (7 days ahead) is last.
    expect(scheduled.items.slice(0, 3).map((r) => r.id)).toEqual([s2.id, s3.id, s1.id]);
    const counts = await caller.publications.counts({});
    expect(counts).toMatchObject({ scheduled: 4, published: 1, failed: 2, unconfirmed: 1 });
    const page1 = await caller.publications.list({ tab: "scheduled", limit: 2 });
    const page2 = await caller.publications.list({ tab: "scheduled", limit: 2, cursor: page1.nextCursor! });
    expect(new Set([...page1.items, ...page2.items].map((r) => r.id)).size).toBe(4);
    expect((await caller.publications.list({ tab: "scheduled", network: "TIKTOK", limit: 25 })).items).toHaveLength(0);
    expect((await caller.publications.listForContent({ contentId })).map((r) => r.contentId)).toEqual(Array(6).fill(contentId));
  });

  it("returns the calendar rows in range (published ones on their publish time), not canceled, and refuses more than 62 days", async () => {
    const org = await createOrgFixture("pub-cal");
    const contentId = await readyContent(org, "No calendário");
    const account = await instagramAccount(org);
    const inRange = await db.publication.create({ data: { organizationId: org.organizationId, contentId, connectionId: account, scheduledAt: inMinutes(60) } });
    await db.publication.create({ data: { organizationId: org.organizationId, contentId, connectionId: account, scheduledAt: inMinutes(90), status: "CANCELED" } });
    await db.publication.create({ data: { organizationId: org.organizationId, contentId, connectionId: account, scheduledAt: new Date(Date.now() + 40 * DAY) } });
    const published = await db.publication.create({
      data: { organizationId: org.organizationId, contentId, connectionId: account, scheduledAt: new Date(Date.now() - 3 * DAY), publishedAt: inMinutes(-5), status: "PUBLISHED", permalink: "https://instagram.com/p/x" },
    });
    const caller = await callerFor(org.users.VIEWER.userId);
    const rows = await caller.publications.calendar({ from: new Date(Date.now() - DAY), to: new Date(Date.now() + 2 * DAY) });
    // (the fixture's own failed publication, an hour ago, is in range too)
    expect(rows.filter((r) => r.contentId === contentId).map((r) => r.id).sort()).toEqual([inRange.id, published.id].sort());
    expect(rows.find((r) => r.id === published.id)).toMatchObject({ contentTitle: "No calendário", network: "INSTAGRAM", accountName: "@loja", permalink: "https://instagram.com/p/x" });
    await expect(caller.publications.calendar({ from: new Date(), to: new Date(Date.now() + 63 * DAY) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await caller.publications.calendar({ from: new Date(Date.now() - DAY), to: new Date(Date.now() + 2 * DAY), networks: ["YOUTUBE"] })).toEqual([]);
  });
});

describe("contentChanged", () => {
  it("bumps SCHEDULED and DISPATCHED rows (DISPATCHED back to SCHEDULED), leaves PUBLISHING alone", async () => {
    const contentId = await readyContent(fx);
    const scheduled = await publicationIn("SCHEDULED", { contentId });
    const dispatched = await publicationIn("DISPATCHED", { contentId });
    const publishing = await publicationIn("PUBLISHING", { contentId });
    await contentChanged(db, fx.organizationId, contentId);
    const after = await db.publication.findMany({ where: { contentId }, orderBy: { createdAt: "asc" } });
    expect(after.map((p) => [p.id, p.status, p.version])).toEqual([
      [scheduled.id, "SCHEDULED", 1],
      [dispatched.id, "SCHEDULED", 1],
      [publishing.id, "PUBLISHING", 0],
    ]);
    // Another organization's call touches nothing of ours.
    await contentChanged(db, other.organizationId, contentId);
    expect((await db.publication.findUniqueOrThrow({ where: { id: scheduled.id } })).version).toBe(1);
  });
});

describe("dispatchDue", () => {
  it("claims due rows once, leaves future ones, and re-sends a dispatch whose run never started (same event id)", async () => {
    const now = new Date(Date.now() + 365 * DAY);
    const scope = (send: unknown) => ({ send: send as never, organizationId: fx.organizationId });
    const due = await publicationIn("SCHEDULED", { scheduledAt: new Date(now.getTime() - MIN) });
    const later = await publicationIn("SCHEDULED", { scheduledAt: new Date(now.getTime() + MIN) });
    const sent: { id?: string; data: { publicationId: string; version: number } }[] = [];
    const send = async (events: { id?: string; data: { publicationId: string; version: number } }[]) => void sent.push(...events);
    const first = await dispatchDue(db, now, scope(send));
    expect(first.dispatched).toBeGreaterThanOrEqual(1);
    expect(sent.find((e) => e.data.publicationId === due.id)).toMatchObject({ id: `publish-${due.id}-v0` });
    expect(sent.find((e) => e.data.publicationId === later.id)).toBeUndefined();
    sent.length = 0;
    expect((await dispatchDue(db, now, scope(send))).dispatched).toBe(0);
    expect((await db.publication.findUniqueOrThrow({ where: { id: due.id } })).status).toBe("DISPATCHED");

    const stalledAt = new Date(now.getTime() + STALLED_DISPATCH_MS + 1000);
    const again = await dispatchDue(db, stalledAt, scope(send));
    expect(again.resent).toBeGreaterThanOrEqual(1);
    expect(sent.find((e) => e.data.publicationId === due.id)).toMatchObject({ id: `publish-${due.id}-v0`, data: { version: 0 } });
    // Not again within the next five minutes.
    sent.length = 0;
    await dispatchDue(db, new Date(stalledAt.getTime() + 60_000), scope(send));
    expect(sent.find((e) => e.data.publicationId === due.id)).toBeUndefined();
    // A run that started (attempts ≥ 1) is never re-sent.
    await db.publication.update({ where: { id: due.id }, data: { attempts: 1 } });
    sent.length = 0;
    await dispatchDue(db, new Date(stalledAt.getTime() + STALLED_DISPATCH_MS + 1000), scope(send));
    expect(sent.find((e) => e.data.publicationId === due.id)).toBeUndefined();
  });
});

describe("notifications", () => {
  it("shows broadcast rows and a person's own, counts unread, marks one and all read; others' rows stay hidden", async () => {
    const org = await createOrgFixture("notif");
    await notify(db, { organizationId: org.organizationId, kind: "publication.failed", params: { publicationId: "p1", title: "A", network: "Instagram", reason: "x" }, link: "/social/publications?tab=failed" });
    await notify(db, { organizationId: org.organizationId, userId: org.users.OPERATOR.userId, kind: "publication.unconfirmed", params: { publicationId: "p2", title: "B", network: "TikTok", reason: "y" } });
    const operator = await callerFor(org.users.OPERATOR.userId);
    const viewer = await callerFor(org.users.VIEWER.userId);
    // The fixture's own broadcast notification is there too.
    expect((await operator.notifications.unreadCount()).count).toBe(3);
    expect((await viewer.notifications.unreadCount()).count).toBe(2);
    const list = await operator.notifications.list({ limit: 10 });
    expect(list.items[0]).toMatchObject({ kind: "publication.unconfirmed", params: { title: "B", network: "TikTok" }, readAt: null });
    const own = list.items[0]!.id;
    expect(await outcome(() => viewer.notifications.markRead({ id: own }))).toBe("NOT_FOUND");
    await operator.notifications.markRead({ id: own });
    expect((await operator.notifications.list({ limit: 10, unreadOnly: true })).items.map((n) => n.id)).not.toContain(own);
    await operator.notifications.markAllRead();
    expect((await operator.notifications.unreadCount()).count).toBe(0);
    const outsider = await callerFor(other.users.OWNER.userId);
    expect(await outcome(() => outsider.notifications.markRead({ id: own }))).toBe("NOT_FOUND");
  });

  it("does not notify twice for the same publication within the dedupe window", async () => {
    const org = await createOrgFixture("notif-dedupe");
    const input = { organizationId: org.organizationId, kind: "publication.failed" as const, params: { publicationId: "same" }, dedupe: { key: "publicationId", withinMs: MIN } };
    expect(await notify(db, input)).not.toBeNull();
    expect(await notify(db, input)).toBeNull();
    expect(await db.notification.count({ where: { organizationId: org.organizationId, kind: "publication.failed", params: { path: ["publicationId"], equals: "same" } } })).toBe(1);
  });
});

describe("YouTube daily quota", () => {
  it("reserves units atomically: of 10 concurrent 1 600-unit reservations against 10 000 a day, exactly 6 fit", async () => {
    // A far-future day of its own, so a re-run against the same database starts empty.
    const day = new Date(Date.UTC(2100, 0, 1) + (Date.now() % 36_500) * DAY).toISOString().slice(0, 10);
    const results = await Promise.all(Array.from({ length: 10 }, () => reserveProviderQuota(db, "YOUTUBE", day, 1_600, 10_000)));
    expect(results.filter(Boolean)).toHaveLength(6);
    const row = await db.providerQuotaUsage.findUniqueOrThrow({ where: { provider_day: { provider: "YOUTUBE", day: new Date(`${day}T00:00:00Z`) } } });
    expect(row.units).toBe(9_600);
    expect(await reserveProviderQuota(db, "YOUTUBE", day, 400, 10_000)).toBe(true);
    expect(await reserveProviderQuota(db, "YOUTUBE", day, 1, 10_000)).toBe(false);
  });

  it("uses the Pacific quota day and resets at its midnight, across the DST change", () => {
    // 2026-11-01 is the day Los Angeles leaves daylight time (UTC−7 → UTC−8).
    expect(providerQuotaDay(new Date("2026-11-01T06:30:00Z"), "America/Los_Angeles")).toEqual({ day: "2026-10-31", resetsAt: new Date("2026-11-01T07:00:00Z") });
    expect(providerQuotaDay(new Date("2026-11-01T12:00:00Z"), "America/Los_Angeles")).toEqual({ day: "2026-11-01", resetsAt: new Date("2026-11-02T08:00:00Z") });
  });
});
