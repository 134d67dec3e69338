/**
 * The calendar's zone logic against the real publications router: the page's visible range and a
 * drop computed by src/components/calendar/layout.ts go through publications.calendar and
 * publications.reschedule, and the post comes back on the new day at the same wall-clock time in
 * the organization's zone, across a daylight-saving change.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { dayKeyOf, dropOnDay, dropOnSlot, groupByDay, visibleRange } from "~/components/calendar/layout";
import { toZonedInputs } from "~/lib/time/zoned";
import { callerFor, createOrgFixture, db, outcome, type OrgFixture } from "./helpers/fixtures";

const NY = "America/New_York";

describe("calendar through the publications router", () => {
  let fx: OrgFixture;

  beforeAll(async () => {
    fx = await createOrgFixture("calendar-ny");
    await db.organization.update({ where: { id: fx.organizationId }, data: { timeZone: NY } });
    // Friday 12 March 2027, 09:00 EST; New York springs forward on Sunday the 14th.
    await db.publication.update({ where: { id: fx.social.publicationId }, data: { scheduledAt: new Date("2027-03-12T14:00:00Z") } });
  });

  it("moves a 09:00 post across the spring-forward and shows it at 09:00 on the new day", async () => {
    const caller = await callerFor(fx.users.OPERATOR.userId);
    const month = visibleRange("month", "2027-03-01", NY);
    const before = await caller.publications.calendar(month);
    const post = before.find((p) => p.id === fx.social.publicationId)!;
    expect(dayKeyOf(post.scheduledAt, NY)).toBe("2027-03-12");

    const moved = await caller.publications.reschedule({ id: post.id, scheduledAt: dropOnDay(post.scheduledAt, "2027-03-15", NY) });
    expect(moved.scheduledAt.toISOString()).toBe("2027-03-15T13:00:00.000Z"); // 09:00 EDT

    const week = await caller.publications.calendar(visibleRange("week", "2027-03-15", NY));
    const byDay = groupByDay(week.filter((p) => p.status !== "CANCELED"), NY);
    expect(byDay.get("2027-03-15")?.map((p) => p.id)).toContain(post.id);
    expect(toZonedInputs(byDay.get("2027-03-15")!.find((p) => p.id === post.id)!.scheduledAt, NY)).toEqual({ date: "2027-03-15", time: "09:00" });

    // Week view: an hour slot keeps the minutes.
    const slot = await caller.publications.reschedule({ id: post.id, scheduledAt: dropOnSlot(moved.scheduledAt, "2027-03-16", 18, NY) });
    expect(toZonedInputs(slot.scheduledAt, NY)).toEqual({ date: "2027-03-16", time: "18:00" });
  });

  it("lets a failed post be moved, and refuses a reader and another tenant", async () => {
    const failed = await db.publication.findUniqueOrThrow({ where: { id: fx.social.failedPublicationId } });
    const target = dropOnDay(new Date(Date.now() + 86_400_000), dayKeyOf(new Date(Date.now() + 3 * 86_400_000), NY), NY);
    const viewer = await callerFor(fx.users.VIEWER.userId);
    expect(await outcome(() => viewer.publications.reschedule({ id: failed.id, scheduledAt: target }))).toBe("FORBIDDEN");
    const other = await createOrgFixture("calendar-other");
    const stranger = await callerFor(other.users.OWNER.userId);
    expect(await outcome(() => stranger.publications.reschedule({ id: failed.id, scheduledAt: target }))).toBe("NOT_FOUND");
    const owner = await callerFor(fx.users.OWNER.userId);
    const moved = await owner.publications.reschedule({ id: failed.id, scheduledAt: target });
    expect(moved.status).toBe("SCHEDULED");
    expect(moved.scheduledAt.getTime()).toBe(target.getTime());
  });
});
