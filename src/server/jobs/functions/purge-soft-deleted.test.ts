import { InngestTestEngine } from "@inngest/test";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("~/env", async () => ({ env: (await import("../unit-env")).unitEnv }));
vi.mock("~/server/db", () => ({ db: { marker: "db" } }));
vi.mock("~/server/services/jobs/purge", () => ({
  purgeSoftDeletedRows: vi.fn(async () => ({ total: 3, byOrganization: {}, purgedOrganizations: 0, purgedUsers: 0, blockedUsers: 0, cutoff: "x" })),
  pruneFinishedJobRuns: vi.fn(async () => 7),
}));

const { purgeSoftDeletedRows, pruneFinishedJobRuns } = await import("~/server/services/jobs/purge");
const { purgeSoftDeleted } = await import("./purge-soft-deleted");

describe("purge-soft-deleted function", () => {
  beforeEach(() => vi.clearAllMocks());

  it("declares a daily cron, the on-demand event, retries and no overlapping runs", () => {
    expect(purgeSoftDeleted.opts.triggers).toEqual([{ cron: "0 6 * * *" }, expect.objectContaining({ name: "maintenance/soft-deleted.purge-requested" })]);
    expect(purgeSoftDeleted.opts.retries).toBe(3);
    expect(purgeSoftDeleted.opts.concurrency).toEqual({ limit: 1 });
  });

  it("on the schedule: purges everything, then prunes old job runs, each in its own step", async () => {
    const t = new InngestTestEngine({
      function: purgeSoftDeleted,
      events: [{ name: "inngest/scheduled.timer", data: { cron: "0 6 * * *" } }],
    });
    const { result, ctx } = await t.execute();
    expect(result).toMatchObject({ total: 3, prunedRuns: 7 });
    expect(purgeSoftDeletedRows).toHaveBeenCalledWith({ marker: "db" });
    expect(pruneFinishedJobRuns).toHaveBeenCalledTimes(1);
    expect(ctx.step.run).toHaveBeenCalledWith("purge", expect.any(Function));
    expect(ctx.step.run).toHaveBeenCalledWith("prune-job-runs", expect.any(Function));
  });

  it("on request: purges only the organization named in the event, as the person who asked", async () => {
    const t = new InngestTestEngine({
      function: purgeSoftDeleted,
      events: [{ name: "maintenance/soft-deleted.purge-requested", data: { organizationId: "org_1", userId: "usr_1", correlationId: "corr_1" } }],
    });
    const { result, ctx } = await t.execute();
    expect(result).toMatchObject({ total: 3 });
    expect(purgeSoftDeletedRows).toHaveBeenCalledWith({ marker: "db" }, { organizationId: "org_1", userId: "usr_1", correlationId: "corr_1" });
    expect(pruneFinishedJobRuns).not.toHaveBeenCalled();
    expect(ctx.step.run).toHaveBeenCalledWith("purge-organization", expect.any(Function));
  });

  it("a failing purge fails the step (so Inngest retries it)", async () => {
    vi.mocked(purgeSoftDeletedRows).mockRejectedValueOnce(new Error("database is down"));
    const t = new InngestTestEngine({
      function: purgeSoftDeleted,
      events: [{ name: "inngest/scheduled.timer", data: { cron: "0 6 * * *" } }],
    });
    const { error } = await t.execute();
    expect(String((error as { message?: string })?.message ?? error)).toContain("database is down");
    expect(pruneFinishedJobRuns).not.toHaveBeenCalled();
  });
});
