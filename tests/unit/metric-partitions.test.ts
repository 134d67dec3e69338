import { describe, expect, it } from "vitest";

import { defaultPartitionName, isMonth, monthBounds, partitionName, type MetricTable } from "~/server/repositories/partitions";
import { monthOf } from "~/server/services/partitions/maintenance";

describe("metric partition names and bounds (the only text DDL is built from)", () => {
  it("names a month's partition and the DEFAULT one after the table", () => {
    expect(partitionName("listing_metric_snapshots", "2026-11")).toBe("listing_metric_snapshots_p2026_11");
    expect(defaultPartitionName("content_metric_snapshots")).toBe("content_metric_snapshots_default");
  });

  it("refuses anything but a known table and a YYYY-MM month", () => {
    expect(() => partitionName("users" as MetricTable, "2026-11")).toThrow(/not a partitioned metric table/);
    for (const bad of ["2026-13", "2026-00", "2026-1", "12000-01", "0999-01", "2026-11'; DROP TABLE x; --", "2026_11"]) {
      expect(isMonth(bad)).toBe(false);
      expect(() => partitionName("listing_metric_snapshots", bad)).toThrow(/not a month/);
    }
  });

  it("bounds a month from its first day to the next month's, across the year end", () => {
    expect(monthBounds("2026-11")).toEqual({ from: "2026-11-01", to: "2026-12-01" });
    expect(monthBounds("2026-12")).toEqual({ from: "2026-12-01", to: "2027-01-01" });
  });

  it("counts months in UTC from any day of the month", () => {
    const lastMinute = new Date("2026-11-30T23:59:59.999Z");
    expect(monthOf(lastMinute)).toBe("2026-11");
    expect([1, 2, 3].map((i) => monthOf(lastMinute, i))).toEqual(["2026-12", "2027-01", "2027-02"]);
    expect(monthOf(new Date("2026-01-15T00:00:00Z"), -1)).toBe("2025-12");
  });
});
