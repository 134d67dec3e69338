/**
 * The local jobs runner against a real PostgreSQL: events sent through the app's normal
 * `inngest.send`, retries, delayed events, per-key concurrency, sleeps, a restart mid-queue, a
 * runner killed with SIGKILL, cron triggers and an owner's retry of a failed run.
 */
import { spawn } from "node:child_process";
import path from "node:path";

import { cron } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { inngest, INNGEST_APP_ID } from "~/server/jobs/client";
import { startLocalRunner, type LocalRunner, type LocalRunnerOptions } from "~/server/jobs/local/runner";
import { callerFor, createOrgFixture, db, type OrgFixture } from "./helpers/fixtures";
import {
  brittleFailNext,
  brittleRequested,
  doomedRequested,
  effectRequested,
  flakyCalls,
  flakyRequested,
  parallelRequested,
  serialRequested,
  serialSpans,
  sleepyRequested,
  slowRequested,
  testFunctions,
} from "./helpers/job-functions";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const FAST: LocalRunnerOptions = {
  functions: testFunctions,
  cron: false,
  pollIntervalMs: 100,
  retryDelay: () => 150,
  standbyRetryMs: 200,
  concurrency: 5,
};

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out; last value: ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

const fnId = (slug: string) => `${INNGEST_APP_ID}-${slug}`;

function runsOf(slug: string, marker: string) {
  return db.jobRun.findMany({ where: { functionId: fnId(slug), event: { path: ["data", "marker"], equals: marker } } });
}

function effects(organizationId: string, marker: string, action = "test.jobs.effect") {
  return db.auditLog.count({ where: { organizationId, action, targetId: marker } });
}

let org: OrgFixture;
let runner: LocalRunner | null = null;
let seq = 0;
const marker = (label: string) => `${label}-${Date.now().toString(36)}-${seq++}`;

beforeAll(async () => {
  org = await createOrgFixture("jobs");
  runner = await startLocalRunner(FAST);
  await runner.ready;
});

afterAll(async () => {
  await runner?.stop();
});

describe("local runner", () => {
  it("runs a function for an event sent with the app's normal inngest.send, once per event id", async () => {
    const m = marker("send");
    const { ids } = await inngest.send(effectRequested.create({ organizationId: org.organizationId, marker: m }, { id: `evt-${m}` }));
    expect(ids).toEqual([`evt-${m}`]);
    const [run] = await waitFor(() => runsOf("test-effect", m), (runs) => runs[0]?.status === "COMPLETED");
    expect(run).toMatchObject({ status: "COMPLETED", attempts: 1, organizationId: org.organizationId, error: null });
    expect(run!.output).toEqual({ marker: m });
    expect(await effects(org.organizationId, m)).toBe(1);

    // The same event id again (a retried request) starts nothing new.
    await inngest.send(effectRequested.create({ organizationId: org.organizationId, marker: m }, { id: `evt-${m}` }));
    await sleep(800);
    expect(await runsOf("test-effect", m)).toHaveLength(1);
    expect(await effects(org.organizationId, m)).toBe(1);
  });

  it("refuses an event whose payload breaks its schema before it is stored", async () => {
    await expect(inngest.send(effectRequested.create({ marker: "x" } as never))).rejects.toThrow();
  });

  it("retries a failing step with backoff: two failures then success end as one success with 3 attempts", async () => {
    const m = marker("flaky");
    await inngest.send(flakyRequested.create({ organizationId: org.organizationId, marker: m }));
    const [run] = await waitFor(() => runsOf("test-flaky", m), (runs) => runs[0]?.status === "COMPLETED");
    expect(run).toMatchObject({ status: "COMPLETED", attempts: 3, maxAttempts: 4, error: null });
    expect(flakyCalls.get(m)).toBe(3);
    expect(await effects(org.organizationId, m)).toBe(1);
  });

  it("does not run an event sent with a future ts before that time", async () => {
    const m = marker("future");
    const ts = Date.now() + 3000;
    await inngest.send(effectRequested.create({ organizationId: org.organizationId, marker: m }, { ts }));
    await sleep(1500);
    expect(await effects(org.organizationId, m)).toBe(0);
    expect(await runsOf("test-effect", m)).toHaveLength(0);
    const [run] = await waitFor(() => runsOf("test-effect", m), (runs) => runs[0]?.status === "COMPLETED");
    expect(run!.startedAt!.getTime()).toBeGreaterThanOrEqual(ts - 5);
    expect(await effects(org.organizationId, m)).toBe(1);
  });

  it("runs at most one step at a time per concurrency key, while other keys proceed", async () => {
    const m = marker("serial");
    const keyA = `${m}-A`;
    const keyB = `${m}-B`;
    await inngest.send([
      ...[1, 2, 3, 4].map((i) => serialRequested.create({ organizationId: org.organizationId, marker: `${m}-${i}A`, key: keyA })),
      ...[1, 2, 3, 4].map((i) => serialRequested.create({ organizationId: org.organizationId, marker: `${m}-${i}B`, key: keyB })),
    ]);
    await waitFor(
      async () => serialSpans.filter((s) => s.key === keyA || s.key === keyB).length,
      (n) => n === 8,
    );
    const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;
    for (const key of [keyA, keyB]) {
      const spans = serialSpans.filter((s) => s.key === key);
      expect(spans).toHaveLength(4);
      for (const a of spans) for (const b of spans) if (a !== b) expect(overlaps(a, b), `${key} ran twice at once`).toBe(false);
    }
    // Different keys are not serialised with each other.
    const a = serialSpans.filter((s) => s.key === keyA);
    const b = serialSpans.filter((s) => s.key === keyB);
    expect(a.some((x) => b.some((y) => overlaps(x, y)))).toBe(true);
  });

  it("sleeps durably and resumes after the sleep", async () => {
    const m = marker("sleepy");
    await inngest.send(sleepyRequested.create({ organizationId: org.organizationId, marker: m }));
    const [sleeping] = await waitFor(() => runsOf("test-sleepy", m), (runs) => runs[0]?.status === "SLEEPING");
    expect(await effects(org.organizationId, m, "test.jobs.before")).toBe(1);
    expect(await effects(org.organizationId, m, "test.jobs.after")).toBe(0);
    expect(sleeping!.runAt.getTime()).toBeGreaterThan(Date.now());
    const [run] = await waitFor(() => runsOf("test-sleepy", m), (runs) => runs[0]?.status === "COMPLETED");
    expect(run!.finishedAt!.getTime() - run!.startedAt!.getTime()).toBeGreaterThanOrEqual(1900);
    expect(await effects(org.organizationId, m, "test.jobs.before")).toBe(1);
    expect(await effects(org.organizationId, m, "test.jobs.after")).toBe(1);
  });

  it("loses nothing and runs nothing twice when the runner is stopped and restarted mid-queue", async () => {
    const m = marker("restart");
    // Enough work (60 runs × 2 steps of 40 ms, 5 at a time ≈ 1 s) that the stop, which follows the
    // first completion within one 100 ms probe, always lands with most of the queue still to do
    // (24 runs were not: on a quiet machine the queue could drain before the stop).
    const markers = Array.from({ length: 60 }, (_, i) => `${m}-${i}`);
    await inngest.send(markers.map((x) => slowRequested.create({ organizationId: org.organizationId, marker: x })));
    const completed = () => db.jobRun.count({ where: { functionId: fnId("test-slow"), status: "COMPLETED", event: { path: ["data", "marker"], string_starts_with: m } } });
    await waitFor(completed, (n) => n >= 1);
    await runner!.stop(); // what SIGTERM does
    const atStop = await completed();
    expect(atStop).toBeLessThan(markers.length);

    // Nothing moves while no runner is up; the queue is in PostgreSQL.
    await sleep(500);
    expect(await completed()).toBe(atStop);

    runner = await startLocalRunner(FAST);
    await runner.ready;
    await waitFor(completed, (n) => n === markers.length, 30_000);
    for (const x of markers) {
      expect(await effects(org.organizationId, x, "test.jobs.first"), x).toBe(1);
      expect(await effects(org.organizationId, x, "test.jobs.second"), x).toBe(1);
    }
  });

  it("recovers the queue of a runner killed with SIGKILL: every run completes, each step's effect at least once and at most twice", async () => {
    // Another process becomes the runner (this one stands by), then dies without any cleanup.
    await runner!.stop();
    const m = marker("kill");
    // Enough work (48 runs × 2 steps of 40 ms, 5 at a time ≈ 0.8 s) that the kill, which follows the
    // first completion within one 100 ms probe, always lands with most of the queue still to do.
    const markers = Array.from({ length: 48 }, (_, i) => `${m}-${i}`);
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(import.meta.dirname, "helpers/runner-child.ts")], {
      env: { ...process.env, LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const childReady = new Promise<void>((resolve, reject) => {
      child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("runner-ready") && resolve());
      child.once("exit", (code) => reject(new Error(`runner child exited early (${code})`)));
    });
    await childReady;
    runner = await startLocalRunner(FAST); // standby: the child holds the leader lock
    expect(runner.isLeader()).toBe(false);

    await inngest.send(markers.map((x) => slowRequested.create({ organizationId: org.organizationId, marker: x })));
    const completed = () => db.jobRun.count({ where: { functionId: fnId("test-slow"), status: "COMPLETED", event: { path: ["data", "marker"], string_starts_with: m } } });
    await waitFor(completed, (n) => n >= 1);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(await completed()).toBeLessThan(markers.length);

    await runner.ready; // took over
    expect(runner.isLeader()).toBe(true);
    await waitFor(completed, (n) => n === markers.length, 30_000);
    const runs = await db.jobRun.findMany({ where: { functionId: fnId("test-slow"), event: { path: ["data", "marker"], string_starts_with: m } } });
    expect(runs).toHaveLength(markers.length);
    for (const x of markers) {
      // A step cut off mid-way by the kill runs again (at-least-once, as with Inngest); no other repeats.
      for (const action of ["test.jobs.first", "test.jobs.second"]) {
        const n = await effects(org.organizationId, x, action);
        expect(n, `${x} ${action}`).toBeGreaterThanOrEqual(1);
        expect(n, `${x} ${action}`).toBeLessThanOrEqual(2);
      }
    }
  });

  it("lets an owner retry a failed run from the failed step, without repeating the steps that succeeded", async () => {
    const m = marker("brittle");
    brittleFailNext.add(m);
    await inngest.send(brittleRequested.create({ organizationId: org.organizationId, marker: m }));
    const [failed] = await waitFor(() => runsOf("test-brittle", m), (runs) => runs[0]?.status === "FAILED");
    expect(failed!.error).toContain("the provider refused it");
    expect(await effects(org.organizationId, m, "test.jobs.stable")).toBe(1);

    const owner = await callerFor(org.users.OWNER.userId);
    const page = await owner.jobs.list({ limit: 50 });
    expect(page.mode).toBe("local");
    const listed = page.items.find((r) => r.id === failed!.id);
    expect(listed).toMatchObject({ status: "FAILED", functionSlug: "test-brittle", error: expect.stringContaining("refused") });

    await expect(owner.jobs.retry({ runId: failed!.id })).resolves.toEqual({ id: failed!.id, status: "QUEUED" });
    await waitFor(() => runsOf("test-brittle", m), (runs) => runs[0]?.status === "COMPLETED");
    expect(await effects(org.organizationId, m, "test.jobs.stable")).toBe(1);
    expect(await effects(org.organizationId, m, "test.jobs.fragile")).toBe(1);
    expect(await db.auditLog.count({ where: { organizationId: org.organizationId, action: "job.retried", targetId: failed!.id } })).toBe(1);

    // Only failed runs can be retried.
    await expect(owner.jobs.retry({ runId: failed!.id })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("runs onFailure handlers when a run fails for good", async () => {
    const m = marker("doomed");
    await inngest.send(doomedRequested.create({ organizationId: org.organizationId, marker: m }));
    const [run] = await waitFor(() => runsOf("test-doomed", m), (runs) => runs[0]?.status === "FAILED");
    expect(run).toMatchObject({ attempts: 1, maxAttempts: 1, error: "always fails" });
    await waitFor(() => effects(org.organizationId, `${m}:always fails`, "test.jobs.onFailure"), (n) => n === 1);
    const handler = await db.jobRun.findFirst({ where: { functionId: fnId("test-doomed-failure"), organizationId: org.organizationId } });
    expect(handler?.status).toBe("COMPLETED");
  });

  it("runs parallel steps (one after another) and joins their results", async () => {
    const m = marker("parallel");
    await inngest.send(parallelRequested.create({ organizationId: org.organizationId, marker: m }));
    await waitFor(() => runsOf("test-parallel", m), (runs) => runs[0]?.status === "COMPLETED");
    expect(await effects(org.organizationId, m, "test.jobs.left")).toBe(1);
    expect(await effects(org.organizationId, m, "test.jobs.right")).toBe(1);
    expect(await effects(org.organizationId, `${m}:LR`, "test.jobs.join")).toBe(1);
  });

  it("fires cron triggers on schedule, once per schedule time even across restarts", async () => {
    await runner!.stop();
    const ticked = inngest.createFunction({ id: `test-cron-${Date.now()}`, triggers: [cron("* * * * *")], retries: 0 }, async () => "tick");
    const opts = { ...FAST, functions: [ticked], cron: true, cronIntervalMs: 200 };
    runner = await startLocalRunner(opts);
    await runner.ready;
    // The latest minute boundary passed before the start runs at once (missed while "down").
    const [first] = await waitFor(
      () => db.jobRun.findMany({ where: { functionId: ticked.id(INNGEST_APP_ID) } }),
      (runs) => runs.length === 1 && runs[0]!.status === "COMPLETED",
    );
    expect(first).toMatchObject({ eventName: "inngest/scheduled.timer", organizationId: null, output: "tick" });
    const tickAt = (run: { event: unknown }) => (run.event as { ts: number }).ts;
    expect(new Date(tickAt(first!)).getUTCSeconds()).toBe(0);
    expect(first!.eventId).toBe(`cron:${ticked.id(INNGEST_APP_ID)}:${new Date(tickAt(first!)).toISOString()}`);
    await runner.stop();
    runner = await startLocalRunner(opts);
    await runner.ready;
    await sleep(700);
    const runs = await db.jobRun.findMany({ where: { functionId: ticked.id(INNGEST_APP_ID) } });
    // Still one run for that minute (a second one only if the clock crossed into the next minute).
    expect(runs.filter((r) => tickAt(r) === tickAt(first!))).toHaveLength(1);
    expect(runs.length).toBeLessThanOrEqual(2);
  });
});
