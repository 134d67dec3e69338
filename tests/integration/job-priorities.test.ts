/**
 * Priorities on the real local runner (graphile-worker on PostgreSQL), one job at a time: a run a
 * person asked for overtakes a backlog of bulk runs already being worked, because the functions'
 * `priority.run` declarations (jobs/priority.ts) become the queue messages' priority. The same
 * function sent without the manual flag waits its turn (the control).
 */
import { eventType } from "inngest";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { inngest, INNGEST_APP_ID } from "~/server/jobs/client";
import { ZJobContext } from "~/server/jobs/events";
import { startLocalRunner, type LocalRunner } from "~/server/jobs/local/runner";
import { runPriority } from "~/server/jobs/priority";
import { createOrgFixture, db, type OrgFixture } from "./helpers/fixtures";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const ZWork = ZJobContext.extend({ marker: z.string(), batch: z.string() });
const bulkRequested = eventType("test/priority.bulk", { schema: ZWork });
const syncRequested = eventType("test/priority.sync", { schema: ZWork });
const keyedRequested = eventType("test/priority.keyed", { schema: ZWork.extend({ key: z.string() }) });

/** Step executions in the order the (single) worker ran them. */
const executed: { batch: string; marker: string; step: string }[] = [];

async function work(batch: string, marker: string, step: string) {
  executed.push({ batch, marker, step });
  await sleep(40);
}

// Two steps each, so a run is several queue messages: the later ones keep the run's priority too.
const bulkFn = inngest.createFunction(
  { id: "test-priority-bulk", triggers: [bulkRequested], retries: 0, priority: runPriority.bulk },
  async ({ event, step }) => {
    await step.run("fetch", () => work(event.data.batch, event.data.marker, "fetch"));
    await step.run("store", () => work(event.data.batch, event.data.marker, "store"));
  },
);
const syncFn = inngest.createFunction(
  { id: "test-priority-sync", triggers: [syncRequested], retries: 0, priority: runPriority.manualElseBulk },
  async ({ event, step }) => {
    await step.run("fetch", () => work(event.data.batch, event.data.marker, "fetch"));
    await step.run("store", () => work(event.data.batch, event.data.marker, "store"));
  },
);

// Like sync-listings: one run per key at a time; automatic runs are bulk, manual ones user-visible.
const keyedFn = inngest.createFunction(
  { id: "test-priority-keyed", triggers: [keyedRequested], retries: 0, concurrency: { limit: 1, key: "event.data.key" }, priority: runPriority.manualElseBulk },
  async ({ event, step }) => {
    await step.run("fetch", () => work(event.data.batch, event.data.marker, "fetch"));
    await step.run("store", () => work(event.data.batch, event.data.marker, "store"));
  },
);

const BACKLOG = 30;

async function waitFor<T>(probe: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 50_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out; last value: ${JSON.stringify(value)}`);
    await sleep(20);
  }
}

function runsOfBatch(batch: string) {
  return db.jobRun.findMany({
    where: { functionId: { in: [`${INNGEST_APP_ID}-test-priority-bulk`, `${INNGEST_APP_ID}-test-priority-sync`] }, event: { path: ["data", "batch"], equals: batch } },
  });
}

/**
 * Queues the backlog, waits until the worker is into it, sends the sync and returns how many
 * backlog runs were still unfinished when the sync's run finished.
 */
async function overtakes(batch: string, manual: boolean) {
  await inngest.send(
    Array.from({ length: BACKLOG }, (_, i) => bulkRequested.create({ organizationId: org.organizationId, marker: `bulk-${i}`, batch })),
  );
  await waitFor(
    () => executed.filter((e) => e.batch === batch).length,
    (n) => n >= 2,
  );
  await inngest.send(
    syncRequested.create({ organizationId: org.organizationId, userId: org.users.OWNER.userId, marker: "sync", batch, ...(manual ? { trigger: "manual" as const } : {}) }),
  );
  const runs = await waitFor(
    () => runsOfBatch(batch),
    (rs) => rs.length === BACKLOG + 1 && rs.every((r) => r.status === "COMPLETED"),
  );
  const sync = runs.find((r) => r.functionId.endsWith("test-priority-sync"))!;
  const bulk = runs.filter((r) => r !== sync);
  const finishedAfter = bulk.filter((r) => r.finishedAt! > sync.finishedAt!).length;
  // The sync's own steps ran back to back: nothing of the backlog squeezed in between them.
  const order = executed.filter((e) => e.batch === batch);
  const fetchAt = order.findIndex((e) => e.marker === "sync" && e.step === "fetch");
  const storeAt = order.findIndex((e) => e.marker === "sync" && e.step === "store");
  return { finishedAfter, stepsApart: storeAt - fetchAt, startedAt: fetchAt };
}

let org: OrgFixture;
let runner: LocalRunner | null = null;

beforeAll(async () => {
  org = await createOrgFixture("priorities");
  // One job at a time makes the order deterministic: each time the worker frees up, graphile-worker
  // takes the due job with the lowest priority.
  runner = await startLocalRunner({ functions: [bulkFn, syncFn, keyedFn], cron: false, concurrency: 1, pollIntervalMs: 50, retryDelay: () => 100 });
  await runner.ready;
});

afterAll(async () => {
  await runner?.stop();
});

describe("job priorities on the local runner", () => {
  it("a manual sync overtakes a backlog of 30 bulk runs already in progress", async () => {
    const { finishedAfter, stepsApart, startedAt } = await overtakes(`manual-${Date.now()}`, true);
    // It waits only for the step running when it arrived (no preemption) and the few queued ahead
    // of its event message; the rest of the backlog, 60 steps, comes after it.
    expect(finishedAfter).toBeGreaterThanOrEqual(BACKLOG - 5);
    expect(startedAt).toBeLessThanOrEqual(8);
    expect(stepsApart).toBe(1);
  }, 60_000);

  it("control: the same function sent by a schedule (no manual flag) waits behind the backlog", async () => {
    const { finishedAfter, startedAt } = await overtakes(`scheduled-${Date.now()}`, false);
    expect(finishedAfter).toBeLessThanOrEqual(3);
    expect(startedAt).toBeGreaterThan(BACKLOG);
  }, 60_000);

  it("within one concurrency key (a manual sync of a connection being reconciled) the manual run goes next", async () => {
    const batch = `keyed-${Date.now()}`;
    const key = `connection-${batch}`;
    await inngest.send(
      Array.from({ length: 10 }, (_, i) => keyedRequested.create({ organizationId: org.organizationId, marker: `auto-${i}`, batch, key })),
    );
    await waitFor(
      () => executed.filter((e) => e.batch === batch).length,
      (n) => n >= 1,
    );
    await inngest.send(keyedRequested.create({ organizationId: org.organizationId, marker: "manual", batch, key, trigger: "manual" }));
    await waitFor(
      () => executed.filter((e) => e.batch === batch).length,
      (n) => n === 22,
    );
    const order = executed.filter((e) => e.batch === batch).map((e) => `${e.marker}:${e.step}`);
    // The step in progress finishes (no preemption), then the manual run's steps, then the rest.
    const at = order.indexOf("manual:fetch");
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThanOrEqual(4);
    expect(order[at + 1]).toBe("manual:store");
    const runs = await db.jobRun.findMany({ where: { functionId: `${INNGEST_APP_ID}-test-priority-keyed`, event: { path: ["data", "batch"], equals: batch } } });
    expect(new Set(runs.map((r) => r.queueName)).size).toBe(1);
  }, 60_000);
});
