import { describe, expect, it } from "vitest";

import {
  addDays,
  calendarStatus,
  cellOverflow,
  dayKeyOf,
  dropOnDay,
  dropOnSlot,
  formatOffset,
  groupByDay,
  groupBySlot,
  hoursOfDay,
  isReschedulable,
  isValidDayKey,
  monthGrid,
  shiftAnchor,
  slotKey,
  visibleRange,
  weekDays,
  zoneLabel,
} from "~/components/calendar/layout";

const NY = "America/New_York";
const SP = "America/Sao_Paulo";

describe("month grid", () => {
  it("covers March 2026 in whole Sunday-first weeks, flagging the neighbouring months' days", () => {
    const grid = monthGrid("2026-03-17");
    // 1 March 2026 is a Sunday; 31 March a Tuesday: 5 rows.
    expect(grid).toHaveLength(5);
    expect(grid[0]![0]).toEqual({ day: "2026-03-01", inMonth: true });
    expect(grid[4]![6]).toEqual({ day: "2026-04-04", inMonth: false });
    expect(grid.flat().filter((c) => c.inMonth)).toHaveLength(31);
  });

  it("pads a month that starts mid-week with the previous month's days", () => {
    const grid = monthGrid("2026-02-10");
    // 1 February 2026 is a Sunday and February has 28 days: exactly 4 rows.
    expect(grid).toHaveLength(4);
    const august = monthGrid("2026-08-01");
    // 1 August 2026 is a Saturday: the first row is 26 July … 1 August, 6 rows in all.
    expect(august[0]!.map((c) => c.day)).toEqual(["2026-07-26", "2026-07-27", "2026-07-28", "2026-07-29", "2026-07-30", "2026-07-31", "2026-08-01"]);
    expect(august).toHaveLength(6);
  });

  it("steps months and weeks across year ends", () => {
    expect(shiftAnchor("month", "2026-12-31", 1)).toBe("2027-01-01");
    expect(shiftAnchor("month", "2026-03-31", -1)).toBe("2026-02-01");
    expect(shiftAnchor("week", "2026-12-29", 1)).toBe("2027-01-05");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
  });

  it("validates day keys", () => {
    expect(isValidDayKey("2026-02-28")).toBe(true);
    expect(isValidDayKey("2026-02-30")).toBe(false);
    expect(isValidDayKey("26-02-01")).toBe(false);
  });
});

describe("visible range in the organization's zone", () => {
  it("runs from local midnight to local midnight in New York across the March 2026 spring-forward", () => {
    // Week of 8 March 2026 (clocks jump 02:00 → 03:00 that Sunday).
    expect(weekDays("2026-03-11")).toEqual(["2026-03-08", "2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13", "2026-03-14"]);
    const { from, to } = visibleRange("week", "2026-03-11", NY);
    expect(from.toISOString()).toBe("2026-03-08T05:00:00.000Z"); // EST midnight
    expect(to.toISOString()).toBe("2026-03-15T04:00:00.000Z"); // EDT midnight
    // One hour short of 7 × 24 h.
    expect(to.getTime() - from.getTime()).toBe((7 * 24 - 1) * 3_600_000);
  });

  it("uses São Paulo's fixed −03:00 for a month view", () => {
    const { from, to } = visibleRange("month", "2026-11-26", SP);
    expect(from.toISOString()).toBe("2026-11-01T03:00:00.000Z");
    expect(to.toISOString()).toBe("2026-12-06T03:00:00.000Z");
  });

  it("puts an instant on the zone's day, not UTC's", () => {
    const lateEvening = new Date("2026-11-27T01:30:00Z"); // 22:30 on the 26th in São Paulo
    expect(dayKeyOf(lateEvening, SP)).toBe("2026-11-26");
    expect(dayKeyOf(lateEvening, "UTC")).toBe("2026-11-27");
  });
});

describe("placing items", () => {
  const items = [
    { id: "b", scheduledAt: new Date("2026-03-08T15:00:00Z") },
    { id: "a", scheduledAt: new Date("2026-03-08T06:30:00Z") }, // 01:30 EST
    { id: "c", scheduledAt: new Date("2026-03-09T03:00:00Z") }, // 23:00 EDT on the 8th
    { id: "d", scheduledAt: new Date("2026-03-01T12:00:00Z"), publishedAt: new Date("2026-03-08T07:10:00Z") }, // went live 03:10 EDT
  ];

  it("groups by the zone's day in time order, published items by when they went live", () => {
    const byDay = groupByDay(items, NY);
    expect(byDay.get("2026-03-08")?.map((i) => i.id)).toEqual(["a", "d", "b", "c"]);
    expect(byDay.has("2026-03-09")).toBe(false);
    expect(byDay.has("2026-03-01")).toBe(false);
  });

  it("groups by wall-clock hour slot (no 02:00 on a spring-forward day)", () => {
    const bySlot = groupBySlot(items, NY);
    expect(bySlot.get(slotKey("2026-03-08", 1))?.map((i) => i.id)).toEqual(["a"]);
    expect(bySlot.get(slotKey("2026-03-08", 3))?.map((i) => i.id)).toEqual(["d"]);
    expect(bySlot.get(slotKey("2026-03-08", 23))?.map((i) => i.id)).toEqual(["c"]);
    expect(hoursOfDay("2026-03-08", NY)).not.toContain(2);
    expect(hoursOfDay("2026-03-08", NY)).toHaveLength(23);
    expect(hoursOfDay("2026-11-01", NY)).toHaveLength(24);
    expect(hoursOfDay("2026-03-08", SP)).toHaveLength(24);
  });

  it("shows up to max items in a month cell and counts the rest", () => {
    expect(cellOverflow([1, 2, 3], 3)).toEqual({ visible: [1, 2, 3], hidden: 0 });
    expect(cellOverflow([1, 2, 3, 4, 5], 3)).toEqual({ visible: [1, 2], hidden: 3 });
  });
});

describe("dropping keeps the wall-clock time in the zone", () => {
  it("moves a 09:00 post across the New York spring-forward and keeps 09:00", () => {
    const friday9am = new Date("2026-03-06T14:00:00Z"); // 09:00 EST
    const moved = dropOnDay(friday9am, "2026-03-09", NY);
    expect(moved.toISOString()).toBe("2026-03-09T13:00:00.000Z"); // 09:00 EDT
  });

  it("moves a post across the New York fall-back and keeps its time", () => {
    const moved = dropOnDay(new Date("2026-10-30T22:15:00Z"), "2026-11-02", NY); // 18:15 EDT → 18:15 EST
    expect(moved.toISOString()).toBe("2026-11-02T23:15:00.000Z");
  });

  it("a time inside the spring-forward gap lands on the first valid minute after it", () => {
    const at0230 = new Date("2026-03-07T07:30:00Z"); // 02:30 EST on the 7th
    expect(dropOnDay(at0230, "2026-03-08", NY).toISOString()).toBe("2026-03-08T07:00:00.000Z"); // 03:00 EDT
  });

  it("the ambiguous fall-back hour takes the earlier instant", () => {
    const at0130 = new Date("2026-10-31T05:30:00Z"); // 01:30 EDT
    expect(dropOnDay(at0130, "2026-11-01", NY).toISOString()).toBe("2026-11-01T05:30:00.000Z"); // first 01:30 (EDT)
  });

  it("drops on a week slot at that hour keeping the minutes (São Paulo)", () => {
    const at1045 = new Date("2026-11-26T13:45:00Z"); // 10:45 in São Paulo
    expect(dropOnSlot(at1045, "2026-11-28", 17, SP).toISOString()).toBe("2026-11-28T20:45:00.000Z");
    expect(dropOnSlot(at1045, "2026-11-28", 0, SP).toISOString()).toBe("2026-11-28T03:45:00.000Z");
  });
});

describe("statuses and labels", () => {
  it("only scheduled and failed posts can be dragged", () => {
    expect(isReschedulable("SCHEDULED")).toBe(true);
    expect(isReschedulable("FAILED")).toBe(true);
    for (const s of ["DISPATCHED", "PUBLISHING", "PUBLISHED", "UNCONFIRMED", "CANCELED"] as const) expect(isReschedulable(s)).toBe(false);
    expect(calendarStatus("DISPATCHED")).toBe("publishing");
    expect(calendarStatus("UNCONFIRMED")).toBe("unconfirmed");
  });

  it("labels the zone with its name and offset at that instant", () => {
    expect(formatOffset(-180)).toBe("UTC\u221203:00");
    expect(formatOffset(330)).toBe("UTC+05:30");
    expect(zoneLabel(SP, "pt-BR", new Date("2026-11-26T12:00:00Z"))).toMatch(/Brasília \(UTC\u221203:00\)$/);
    expect(zoneLabel(NY, "en", new Date("2026-07-01T12:00:00Z"))).toBe("Eastern Time (UTC\u221204:00)");
    expect(zoneLabel(NY, "en", new Date("2026-01-01T12:00:00Z"))).toBe("Eastern Time (UTC\u221205:00)");
  });
});
