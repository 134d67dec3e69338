import { describe, expect, it } from "vitest";

import { toZonedInputs, zonedParts, zonedWallTimeToUtc } from "./zoned";

describe("zoned wall time", () => {
  it("converts São Paulo (UTC−3, no DST since 2019) both ways", () => {
    const utc = zonedWallTimeToUtc("2026-11-26", "09:30", "America/Sao_Paulo");
    expect(utc.toISOString()).toBe("2026-11-26T12:30:00.000Z");
    expect(toZonedInputs(utc, "America/Sao_Paulo")).toEqual({ date: "2026-11-26", time: "09:30" });
  });

  it("keeps the wall time across a DST change (New York, 2026-03-08)", () => {
    expect(zonedWallTimeToUtc("2026-03-07", "10:00", "America/New_York").toISOString()).toBe("2026-03-07T15:00:00.000Z");
    expect(zonedWallTimeToUtc("2026-03-09", "10:00", "America/New_York").toISOString()).toBe("2026-03-09T14:00:00.000Z");
  });

  it("moves a wall time inside the spring-forward gap to the first valid minute", () => {
    // 02:30 does not exist on 2026-03-08 in New York; 03:00 EDT = 07:00Z.
    expect(zonedWallTimeToUtc("2026-03-08", "02:30", "America/New_York").toISOString()).toBe("2026-03-08T07:00:00.000Z");
  });

  it("takes the earlier instant of an ambiguous fall-back time (New York, 2026-11-01 01:30)", () => {
    expect(zonedWallTimeToUtc("2026-11-01", "01:30", "America/New_York").toISOString()).toBe("2026-11-01T05:30:00.000Z");
  });

  it("reports weekday and parts in the zone, not in UTC", () => {
    const p = zonedParts(new Date("2026-11-27T01:00:00Z"), "America/Sao_Paulo");
    expect(p).toMatchObject({ year: 2026, month: 11, day: 26, hour: 22, weekday: 4 });
  });
});
