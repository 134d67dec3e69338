/**
 * Inngest functions used only by the background-jobs integration tests. They are defined with the
 * app's real client, so `inngest.send` goes through the same path as the app's code.
 */
import { eventType, NonRetriableError } from "inngest";
import { z } from "zod";

import { inngest } from "~/server/jobs/client";
import { ZJobContext } from "~/server/jobs/events";
import { audit } from "~/server/services/audit";
import { db } from "./fixtures";

export const ZMarker = ZJobContext.extend({ marker: z.string() });

export const effectRequested = eventType("test/jobs.effect", { schema: ZMarker });
export const flakyRequested = eventType("test/jobs.flaky", { schema: ZMarker });
export const serialRequested = eventType("test/jobs.serial", { schema: ZMarker.extend({ key: z.string() }) });
export const slowRequested = eventType("test/jobs.slow", { schema: ZMarker });
export const sleepyRequested = eventType("test/jobs.sleepy", { schema: ZMarker });
export const brittleRequested = eventType("test/jobs.brittle", { schema: ZMarker });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes one audit row per call: the observable effect the tests count. */
export function recordEffect(organizationId: string, marker: string, action = "test.jobs.effect") {
  return audit(db, { organizationId, userId: null }, action, { type: "marker", id: marker });
}

export const effectFn = inngest.createFunction(
  { id: "test-effect", triggers: [effectRequested], retries: 0 },
  async ({ event, step }) => {
    await step.run("record", () => recordEffect(event.data.organizationId, event.data.marker));
    return { marker: event.data.marker };
  },
);

/** Calls to the flaky step, per marker (the runner runs in this process). */
export const flakyCalls = new Map<string, number>();

export const flakyFn = inngest.createFunction(
  { id: "test-flaky", triggers: [flakyRequested], retries: 3 },
  async ({ event, step }) => {
    await step.run("flaky", async () => {
      const calls = (flakyCalls.get(event.data.marker) ?? 0) + 1;
      flakyCalls.set(event.data.marker, calls);
      if (calls <= 2) throw new Error(`transient failure ${calls}`);
      await recordEffect(event.data.organizationId, event.data.marker);
    });
  },
);

/** [key, start, end] of every execution of the serial step. */
export const serialSpans: { key: string; marker: string; start: number; end: number }[] = [];

export const serialFn = inngest.createFunction(
  { id: "test-serial", triggers: [serialRequested], retries: 0, concurrency: { limit: 1, key: "event.data.key" } },
  async ({ event, step }) => {
    await step.run("work", async () => {
      const start = Date.now();
      await sleep(120);
      serialSpans.push({ key: event.data.key, marker: event.data.marker, start, end: Date.now() });
    });
  },
);

export const slowFn = inngest.createFunction(
  { id: "test-slow", triggers: [slowRequested], retries: 2 },
  async ({ event, step }) => {
    await step.run("first", async () => {
      await sleep(40);
      await recordEffect(event.data.organizationId, event.data.marker, "test.jobs.first");
    });
    await step.run("second", async () => {
      await sleep(40);
      await recordEffect(event.data.organizationId, event.data.marker, "test.jobs.second");
    });
  },
);

export const sleepyFn = inngest.createFunction(
  { id: "test-sleepy", triggers: [sleepyRequested], retries: 0 },
  async ({ event, step }) => {
    await step.run("before", () => recordEffect(event.data.organizationId, event.data.marker, "test.jobs.before"));
    await step.sleep("nap", "2s");
    await step.run("after", () => recordEffect(event.data.organizationId, event.data.marker, "test.jobs.after"));
  },
);

/** Markers whose "fragile" step must fail (for good) on its next call. */
export const brittleFailNext = new Set<string>();

export const brittleFn = inngest.createFunction(
  { id: "test-brittle", triggers: [brittleRequested], retries: 1 },
  async ({ event, step }) => {
    await step.run("stable", () => recordEffect(event.data.organizationId, event.data.marker, "test.jobs.stable"));
    await step.run("fragile", async () => {
      if (brittleFailNext.delete(event.data.marker)) throw new NonRetriableError("the provider refused it");
      await recordEffect(event.data.organizationId, event.data.marker, "test.jobs.fragile");
    });
  },
);

export const doomedRequested = eventType("test/jobs.doomed", { schema: ZMarker });

export const doomedFn = inngest.createFunction(
  {
    id: "test-doomed",
    triggers: [doomedRequested],
    retries: 0,
    onFailure: async ({ event, error }) => {
      const original = event.data.event.data as { organizationId: string; marker: string };
      await recordEffect(original.organizationId, `${original.marker}:${error.message}`, "test.jobs.onFailure");
    },
  },
  async () => {
    throw new Error("always fails");
  },
);

export const parallelRequested = eventType("test/jobs.parallel", { schema: ZMarker });

export const parallelFn = inngest.createFunction(
  { id: "test-parallel", triggers: [parallelRequested], retries: 0 },
  async ({ event, step }) => {
    const { organizationId, marker } = event.data;
    const [a, b] = await Promise.all([
      step.run("left", async () => (await recordEffect(organizationId, marker, "test.jobs.left"), "L")),
      step.run("right", async () => (await recordEffect(organizationId, marker, "test.jobs.right"), "R")),
    ]);
    await step.run("join", () => recordEffect(organizationId, `${marker}:${a}${b}`, "test.jobs.join"));
  },
);

export const testFunctions = [effectFn, flakyFn, serialFn, slowFn, sleepyFn, brittleFn, doomedFn, parallelFn];
