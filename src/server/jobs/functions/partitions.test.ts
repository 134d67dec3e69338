import { InngestTestEngine } from "@inngest/test";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("~/env", async () => ({ env: (await import("../unit-env")).unitEnv }));
vi.mock("~/server/db", () => ({ db: { marker: "db" } }));
vi.mock("~/server/services/partitions/maintenance", () => ({
  maintainMetricPartitions: vi.fn(async () => ({ listing_metric_snapshots: { created: ["2027-03"], moved: 2, leftInDefault: 0 } })),
}));

const { maintainMetricPartitions } = await import("~/server/services/partitions/maintenance");
const { metricPartitions } = await import("./partitions");
const { functions } = await import("./index");

describe("metric-partitions function", () => {
  beforeEach(() => vi.clearAllMocks());

  it("runs daily, before the 05:00 reconciliation writes the day's snapshots, one run at a time, and is served", () => {
    expect(metricPartitions.opts.triggers).toEqual([{ cron: "30 4 * * *" }]);
    expect(metricPartitions.opts.concurrency).toEqual({ limit: 1 });
    expect(metricPartitions.opts.retries).toBe(3);
    expect(functions).toContain(metricPartitions);
  });

  it("maintains the partitions in one step and returns what it did", async () => {
    const t = new InngestTestEngine({ function: metricPartitions, events: [{ name: "inngest/scheduled.timer", data: { cron: "30 4 * * *" } }] });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ listing_metric_snapshots: { created: ["2027-03"], moved: 2, leftInDefault: 0 } });
    expect(maintainMetricPartitions).toHaveBeenCalledWith({ marker: "db" });
    expect(ctx.step.run).toHaveBeenCalledWith("maintain-partitions", expect.any(Function));
  });

  it("a failing maintenance fails the step (so it is retried)", async () => {
    vi.mocked(maintainMetricPartitions).mockRejectedValueOnce(new Error("lock timeout"));
    const t = new InngestTestEngine({ function: metricPartitions, events: [{ name: "inngest/scheduled.timer", data: { cron: "30 4 * * *" } }] });
    const { error } = await t.execute();
    expect(String((error as { message?: string })?.message ?? error)).toContain("lock timeout");
  });
});
