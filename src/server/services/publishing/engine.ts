/**
 * The publish state machine, one step at a time. `publishStep` is what each `step.run` of the
 * publish function calls: it reloads the publication, decides whether this run may still act,
 * makes at most one connector call (one phase), persists the outcome in the same step and tells
 * the function what to do next (go on, sleep until a time, or stop).
 *
 * Never publish twice (FACTS, peers' known failures):
 *   - A row is DISPATCHED until the step that makes the first network call moves it to PUBLISHING
 *     (a compare-and-set on the planned version): a reschedule, cancel or edit before that point
 *     bumps the version and the run stops without calling the network.
 *   - A mutation whose answer never came (ConnectorError "outcome_unknown") marks the row
 *     UNCONFIRMED at once; the next step asks the network (confirmPublish) before anything else,
 *     and when it still cannot tell after the last backoff the row stays UNCONFIRMED and a person
 *     is asked to check. Nothing is re-sent blindly.
 * Quotas make a post wait (status unchanged, failure_code "quota_wait", next_attempt_at), never drop it.
 */
import { env } from "~/env";
import type { Prisma } from "~/generated/prisma/client";
import type { PublicationStatus } from "~/generated/prisma/enums";
import { composeCaption } from "~/lib/social/validate";
import type { SocialNetworkId } from "~/lib/social/networks";
import { toZonedInputs, zonedWallTimeToUtc } from "~/lib/time/zoned";
import { connectionWithinPlan } from "~/server/billing/entitlements";
import { ConnectorError } from "~/server/connectors/common";
import { getSocialConnector } from "~/server/connectors/social/registry";
import type { PublishRequest, PublishState, SocialConnector } from "~/server/connectors/social/types";
import {
  findPublicationForRun,
  reserveProviderQuota,
  transitionPublication,
  type PublicationForRun,
} from "~/server/repositories/publications";
import { CircuitOpen, ConnectorCaller, ParkRun, StopSync } from "../connectors/caller";
import type { JobTenantCtx } from "../connectors/job-ctx";
import { loadReadiness } from "../content/readiness";
import { emitWebhookEvent } from "../developer/webhooks/emit";
import { notify } from "../notifications/notify";
import { reserveAccountStart } from "./account-pacing";
import { failureText, NETWORK_NAMES, type OwnFailureCode } from "./failures";
import { openMediaForPublish } from "./media";

export type StepResult =
  | { kind: "stop"; reason: "missing" | "superseded" | "canceled" | "settled" | "rescheduled" | "content_deleted" }
  | { kind: "next" }
  | { kind: "wait"; until: string; why: "processing" | "quota" | "retry" | "confirm" | "pace" }
  | { kind: "done"; status: "PUBLISHED" | "FAILED" | "UNCONFIRMED" };

/** Our bookkeeping next to the connector's phase data (publications.phase_data). */
type RunMeta = {
  /** When the run made its first network call (lateness is measured from here). */
  startedAt?: string;
  /** Transient failures in a row of the current phase. */
  retries?: number;
  /** Failed confirmations of an UNCONFIRMED post. */
  confirmTries?: number;
  /** The provider quota day a reservation was made for (YouTube), so a resumed run does not pay twice. */
  quotaDay?: string | null;
};
type PhaseData = { data: Record<string, unknown>; run: RunMeta };

/** A dispatched post scheduled further ahead than this was rescheduled: it goes back to the queue. */
const RESCHEDULED_AHEAD_MS = 60_000;
/** When a network gives no reset time for its quota. */
const DEFAULT_QUOTA_WAIT_MS = 60 * 60_000;
const NOTIFICATION_DEDUPE_MS = 60 * 60_000;

export function retryDelaysMs(): number[] {
  return env.PUBLISH_RETRY_DELAYS_S.map((s) => s * 1000);
}

function readPhaseData(raw: unknown): PhaseData {
  const obj = raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const data = obj.data && typeof obj.data === "object" && !Array.isArray(obj.data) ? (obj.data as Record<string, unknown>) : {};
  const run = obj.run && typeof obj.run === "object" && !Array.isArray(obj.run) ? (obj.run as RunMeta) : {};
  return { data, run };
}

function phaseJson(data: Record<string, unknown>, run: RunMeta): Prisma.InputJsonObject {
  return { data, run } as unknown as Prisma.InputJsonObject;
}

function describe(error: unknown): string {
  if (error instanceof ParkRun) return "limite de requisições da rede";
  if (error instanceof Error) return error.message.slice(0, 300);
  return String(error).slice(0, 300);
}

/** The YouTube quota day (America/Los_Angeles) of an instant, and when the next one starts. */
export function providerQuotaDay(now: Date, timeZone: string): { day: string; resetsAt: Date } {
  const { date } = toZonedInputs(now, timeZone);
  const next = new Date(`${date}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return { day: date, resetsAt: zonedWallTimeToUtc(next.toISOString().slice(0, 10), "00:00", timeZone) };
}

class Run {
  readonly network: SocialNetworkId;
  readonly connector: SocialConnector;
  readonly caller: ConnectorCaller;
  meta: PhaseData;
  /** The row's status as this step last wrote or read it (the compare-and-set expects it). */
  status: PublicationStatus;

  constructor(
    readonly ctx: JobTenantCtx,
    readonly p: PublicationForRun,
    readonly version: number,
    readonly now: Date,
  ) {
    this.network = p.connection.provider as SocialNetworkId;
    this.connector = getSocialConnector(this.network);
    this.caller = new ConnectorCaller(ctx, p.connectionId, p.connection.provider, this.connector.isSandbox);
    this.meta = readPhaseData(p.phaseData);
    this.status = p.status;
  }

  private get org() {
    return this.ctx.organizationId;
  }

  /** Compare-and-set on the status this step saw and the planned version. */
  async persist(data: Prisma.PublicationUpdateManyMutationInput, from: PublicationStatus[] = [this.status]) {
    const ok = await transitionPublication(this.ctx.db, this.org, this.p.id, { from, version: this.version }, data);
    if (ok && typeof data.status === "string") this.status = data.status;
    return ok;
  }

  waitUntil(at: Date, why: Extract<StepResult, { kind: "wait" }>["why"]): StepResult {
    return { kind: "wait", until: at.toISOString(), why };
  }

  private notifyParams(reason: string) {
    return { publicationId: this.p.id, contentId: this.p.contentId, title: this.p.content.title, network: NETWORK_NAMES[this.network], account: this.p.connection.accountName ?? "", reason };
  }

  async fail(code: string, reason: string): Promise<StepResult> {
    const ok = await this.ctx.db.$transaction(async (tx) => {
      const changed = await transitionPublication(tx, this.org, this.p.id, { from: [this.status], version: this.version }, {
        status: "FAILED",
        failureCode: code,
        lastError: reason,
        nextAttemptAt: null,
      });
      if (changed) {
        await notify(tx, {
          organizationId: this.org,
          userId: this.p.content.createdById,
          kind: "publication.failed",
          params: this.notifyParams(reason),
          link: `/social/publications?tab=failed`,
          dedupe: { key: "publicationId", withinMs: NOTIFICATION_DEDUPE_MS },
        });
        await emitWebhookEvent(tx, this.org, "publication.failed", { publicationId: this.p.id, contentId: this.p.contentId, connectionId: this.p.connectionId, network: this.network, code, reason: reason.slice(0, 1000), failedAt: this.now.toISOString() });
      }
      return changed;
    });
    this.ctx.log.info({ publicationId: this.p.id, code }, ok ? "publication failed" : "publication changed meanwhile");
    return ok ? { kind: "done", status: "FAILED" } : { kind: "stop", reason: "superseded" };
  }

  async failOwn(code: OwnFailureCode, detail?: string) {
    return this.fail(code, failureText(code, this.network, detail));
  }

  async quotaWait(until: Date): Promise<StepResult> {
    const ok = await this.persist({
      failureCode: "quota_wait",
      lastError: failureText("quota_wait", this.network),
      nextAttemptAt: until,
      phaseData: phaseJson(this.meta.data, this.meta.run),
    });
    return ok ? this.waitUntil(until, "quota") : { kind: "stop", reason: "superseded" };
  }

  /** A transient failure: wait the next backoff delay, or fail once they are used up. */
  async retryLater(error: unknown, minWaitMs = 0): Promise<StepResult> {
    const delays = retryDelaysMs();
    const retries = (this.meta.run.retries ?? 0) + 1;
    const reason = describe(error);
    if (retries > delays.length) return this.failOwn("retries_exhausted", reason);
    const at = new Date(this.now.getTime() + Math.max(delays[retries - 1]!, minWaitMs));
    const run = { ...this.meta.run, retries };
    const ok = await this.persist({
      attempts: { increment: 1 },
      failureCode: "retrying",
      lastError: failureText("retrying", this.network, reason),
      nextAttemptAt: at,
      phaseData: phaseJson(this.meta.data, run),
    });
    this.ctx.log.warn({ publicationId: this.p.id, retries, at }, "publish step failed transiently; retrying later");
    return ok ? this.waitUntil(at, "retry") : { kind: "stop", reason: "superseded" };
  }

  /**
   * The network's circuit breaker is open: nothing was sent, so this is no attempt — wait for the
   * reopen time without spending one of the post's retries.
   */
  async circuitWait(until: Date): Promise<StepResult> {
    const ok = await this.persist({
      failureCode: "retrying",
      lastError: failureText("retrying", this.network, "rede indisponível"),
      nextAttemptAt: until,
    });
    return ok ? this.waitUntil(until, "retry") : { kind: "stop", reason: "superseded" };
  }

  async markUnconfirmed(): Promise<StepResult> {
    const at = new Date(this.now.getTime() + (retryDelaysMs()[0] ?? 60_000));
    const ok = await this.persist({
      status: "UNCONFIRMED",
      failureCode: "unconfirmed_checking",
      lastError: failureText("unconfirmed_checking", this.network),
      nextAttemptAt: at,
      phaseData: phaseJson(this.meta.data, { ...this.meta.run, confirmTries: 0 }),
    });
    this.ctx.log.warn({ publicationId: this.p.id }, "publish outcome unknown; confirming with the network before anything else");
    return ok ? this.waitUntil(at, "confirm") : { kind: "stop", reason: "superseded" };
  }

  async published(externalId: string, permalink: string | null): Promise<StepResult> {
    const ok = await this.persist({
      status: "PUBLISHED",
      externalId,
      permalink,
      publishedAt: this.now,
      phase: "published",
      failureCode: null,
      lastError: null,
      nextAttemptAt: null,
      phaseData: phaseJson(this.meta.data, this.meta.run),
    });
    if (ok) await emitWebhookEvent(this.ctx.db, this.org, "publication.published", { publicationId: this.p.id, contentId: this.p.contentId, connectionId: this.p.connectionId, network: this.network, externalId, permalink, publishedAt: this.now.toISOString() });
    return ok ? { kind: "done", status: "PUBLISHED" } : { kind: "stop", reason: "superseded" };
  }

  async request(options: { tolerateMissingMedia: boolean }): Promise<PublishRequest> {
    const v = this.p.variant;
    const caption = composeCaption(v?.caption?.trim() ? v.caption : this.p.content.baseCaption, v?.hashtags ?? []);
    let media: PublishRequest["media"] = [];
    try {
      media = await openMediaForPublish(this.ctx.db, this.org, this.p.content.media);
    } catch (error) {
      if (!options.tolerateMissingMedia) throw new MediaUnavailable(describe(error));
    }
    return { caption, title: v?.title ?? null, privacy: v?.privacy ?? null, media, reference: this.p.id };
  }
}

class MediaUnavailable extends Error {}

/**
 * A network's "no publishing quota left" (connectors send it as rate_limited, code
 * quota_exhausted). Taken out of the ConnectorError path so the caller does not treat it as a
 * rate limit (park the run, block the account): the post waits for the quota instead.
 */
class QuotaExhausted extends Error {
  constructor(readonly retryAfterMs: number | undefined) {
    super("quota exhausted");
  }
}

async function quotaAware<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ConnectorError && error.details.code === "quota_exhausted") throw new QuotaExhausted(error.details.retryAfterMs);
    throw error;
  }
}

/**
 * One step of a publish run. Safe to call again with the same input (a retried step): every
 * decision re-reads the row, and every write is a compare-and-set on status and version.
 */
export async function publishStep(ctx: JobTenantCtx, input: { publicationId: string; version: number }, now = new Date()): Promise<StepResult> {
  const p = await findPublicationForRun(ctx.db, ctx.organizationId, input.publicationId);
  if (!p || p.deletedAt) return { kind: "stop", reason: "missing" };
  if (p.version !== input.version || p.status === "SCHEDULED") return { kind: "stop", reason: "superseded" };
  if (p.status === "CANCELED") return { kind: "stop", reason: "canceled" };
  if (p.status === "PUBLISHED" || p.status === "FAILED") return { kind: "stop", reason: "settled" };

  const run = new Run(ctx, p, input.version, now);
  // Woken before its time (a duplicate event or an early wake-up): sleep the rest.
  if (p.nextAttemptAt && p.nextAttemptAt.getTime() > now.getTime() + 1000) return run.waitUntil(p.nextAttemptAt, "retry");

  if (p.status === "UNCONFIRMED") return confirmStep(run);

  if (p.status === "DISPATCHED") {
    if (p.content.deletedAt) {
      const ok = await run.persist({ status: "CANCELED", failureCode: "content_deleted", lastError: failureText("content_deleted", run.network), version: { increment: 1 } });
      return { kind: "stop", reason: ok ? "content_deleted" : "superseded" };
    }
    if (p.scheduledAt.getTime() > now.getTime() + RESCHEDULED_AHEAD_MS) {
      const ok = await run.persist({ status: "SCHEDULED", dispatchedAt: null, nextAttemptAt: null, attempts: 0 });
      return { kind: "stop", reason: ok ? "rescheduled" : "superseded" };
    }
    if (p.attempts === 0 && !(await run.persist({ attempts: 1 }))) return { kind: "stop", reason: "superseded" };
  }

  if (p.connection.deletedAt || p.connection.status === "DISCONNECTED" || p.connection.status === "NEEDS_RECONNECT") {
    return run.failOwn("needs_reconnect");
  }
  // Readiness is checked by every step until the network has been called. From then on the post
  // is (partly) at the network — a container, an upload — and an edit no longer applies to it
  // (contentChanged leaves PUBLISHING rows alone too), so polling steps skip the extra queries.
  if (p.status === "DISPATCHED") {
    // A downgrade left this account beyond the plan: fail visibly (notified, retryable after an upgrade), never drop it.
    if (!(await connectionWithinPlan(ctx.db, ctx.organizationId, p.connectionId, now))) return run.failOwn("plan_limit");
    const readiness = await loadReadiness(ctx.db, ctx.organizationId, p.contentId, [run.network]);
    if (!readiness) return run.failOwn("content_deleted");
    if (!readiness.approved) return run.failOwn("content_not_approved");
    const ready = readiness.networks.get(run.network);
    if (!ready || !ready.ok) {
      if (!ready || ready.missing) return run.failOwn("variant_missing");
      return run.failOwn("variant_invalid", ready.issues.map((i) => i.code).join(", "));
    }
  }

  let request: PublishRequest;
  try {
    request = await run.request({ tolerateMissingMedia: false });
  } catch (error) {
    if (error instanceof MediaUnavailable) return run.failOwn("media_unavailable");
    throw error;
  }

  try {
    if (p.status === "DISPATCHED") {
      const before = await beforeFirstCall(run);
      if (before) return before;
    }
    const state: PublishState | null = p.phase ? { phase: p.phase, data: run.meta.data } : null;
    const progress = await run.caller.call((creds) => quotaAware(() => run.connector.advancePublish(creds, request, state)));
    switch (progress.kind) {
      case "next":
      case "wait": {
        const at = progress.kind === "wait" ? new Date(now.getTime() + Math.max(0, progress.retryAfterMs)) : null;
        run.meta = { data: progress.state.data, run: { ...run.meta.run, retries: 0 } };
        const ok = await run.persist({
          phase: progress.state.phase,
          phaseData: phaseJson(run.meta.data, run.meta.run),
          failureCode: null,
          lastError: null,
          nextAttemptAt: at,
        }, ["PUBLISHING"]);
        if (!ok) return { kind: "stop", reason: "superseded" };
        return at ? run.waitUntil(at, "processing") : { kind: "next" };
      }
      case "published":
        return run.published(progress.externalId, progress.permalink);
      case "failed":
        return run.fail(progress.code, progress.reason);
    }
  } catch (error) {
    return handleCallError(run, error);
  }
}

/**
 * Before the first network call: the account's quota (a post waits for a slot, it is never
 * dropped), the per-account spacing, then DISPATCHED → PUBLISHING on the planned version.
 * Returns a result when the run must not call the network now.
 */
async function beforeFirstCall(run: Run): Promise<StepResult | null> {
  const { connector, now } = run;
  const quota = await run.caller.call((creds) => quotaAware(() => connector.getPublishingQuota(creds)));
  if (quota && quota.used >= quota.limit) {
    return run.quotaWait(quota.resetsAt && quota.resetsAt.getTime() > now.getTime() ? quota.resetsAt : new Date(now.getTime() + DEFAULT_QUOTA_WAIT_MS));
  }
  const cost = connector.publishQuotaCost;
  if (cost) {
    const { day, resetsAt } = providerQuotaDay(now, cost.resetTimeZone);
    if (run.meta.run.quotaDay !== day) {
      const reserved = await reserveProviderQuota(run.ctx.db, "YOUTUBE", day, cost.units, cost.dailyUnits);
      if (!reserved) return run.quotaWait(resetsAt);
      run.meta.run = { ...run.meta.run, quotaDay: day };
    }
  }
  const paceMs = reserveAccountStart(run.network, run.p.connectionId, now.getTime());
  if (paceMs > 0) {
    const ok = await run.persist({ phaseData: phaseJson(run.meta.data, run.meta.run) });
    return ok ? run.waitUntil(new Date(now.getTime() + paceMs), "pace") : { kind: "stop", reason: "superseded" };
  }
  run.meta.run = { ...run.meta.run, startedAt: now.toISOString() };
  const ok = await run.persist({
    status: "PUBLISHING",
    failureCode: null,
    lastError: null,
    nextAttemptAt: null,
    phaseData: phaseJson(run.meta.data, run.meta.run),
  }, ["DISPATCHED"]);
  return ok ? null : { kind: "stop", reason: "superseded" };
}

async function handleCallError(run: Run, error: unknown): Promise<StepResult> {
  if (error instanceof StopSync) return run.failOwn("needs_reconnect");
  if (error instanceof CircuitOpen) return run.circuitWait(error.until);
  if (error instanceof ParkRun) return run.retryLater(error, error.waitMs);
  if (error instanceof QuotaExhausted) {
    const cost = run.connector.publishQuotaCost;
    if (cost) {
      // The network's own count wins: the next reservation happens on the next quota day.
      run.meta.run = { ...run.meta.run, quotaDay: null };
      return run.quotaWait(providerQuotaDay(run.now, cost.resetTimeZone).resetsAt);
    }
    return run.quotaWait(new Date(run.now.getTime() + (error.retryAfterMs ?? DEFAULT_QUOTA_WAIT_MS)));
  }
  if (!(error instanceof ConnectorError)) throw error;
  switch (error.kind) {
    case "outcome_unknown":
      return run.markUnconfirmed();
    case "transient":
    case "rate_limited":
    case "unauthorized":
      return run.retryLater(error, error.details.retryAfterMs ?? 0);
    case "invalid_grant":
      return run.failOwn("needs_reconnect");
    case "refused":
    case "not_found":
      return run.fail(error.details.code ?? error.kind, error.message);
  }
}

/** UNCONFIRMED: ask the network first; never re-send before it says the post is not live. */
async function confirmStep(run: Run): Promise<StepResult> {
  const { p } = run;
  const state: PublishState = { phase: p.phase ?? "", data: run.meta.data };
  const request = await run.request({ tolerateMissingMedia: true });
  try {
    const confirmation = await run.caller.call((creds) => quotaAware(() => run.connector.confirmPublish(creds, request, state)));
    if (confirmation.kind === "published") return run.published(confirmation.externalId, confirmation.permalink);
    run.meta = { data: confirmation.state.data, run: { ...run.meta.run, confirmTries: 0, retries: 0 } };
    const ok = await run.persist({
      status: "PUBLISHING",
      phase: confirmation.state.phase,
      phaseData: phaseJson(run.meta.data, run.meta.run),
      failureCode: null,
      lastError: null,
      nextAttemptAt: null,
    }, ["UNCONFIRMED"]);
    run.ctx.log.info({ publicationId: p.id }, "network confirmed the post is not live; continuing");
    return ok ? { kind: "next" } : { kind: "stop", reason: "superseded" };
  } catch (error) {
    if (!(error instanceof ConnectorError || error instanceof ParkRun || error instanceof StopSync || error instanceof QuotaExhausted)) throw error;
    // Nothing was asked while the breaker is open: not a confirm try; ask again when it reopens.
    if (error instanceof CircuitOpen) {
      const ok = await run.persist({ nextAttemptAt: error.until });
      return ok ? run.waitUntil(error.until, "confirm") : { kind: "stop", reason: "superseded" };
    }
    const delays = retryDelaysMs();
    const tries = (run.meta.run.confirmTries ?? 0) + 1;
    run.meta.run = { ...run.meta.run, confirmTries: tries };
    if (error instanceof StopSync || tries >= delays.length) return needsPersonToCheck(run);
    const at = new Date(run.now.getTime() + Math.max(delays[tries]!, error instanceof ParkRun ? error.waitMs : 0));
    const ok = await run.persist({ attempts: { increment: 1 }, nextAttemptAt: at, phaseData: phaseJson(run.meta.data, run.meta.run) });
    return ok ? run.waitUntil(at, "confirm") : { kind: "stop", reason: "superseded" };
  }
}

/** The network could not tell whether the post is live: a person looks; we never re-send on our own. */
async function needsPersonToCheck(run: Run): Promise<StepResult> {
  const reason = failureText("unconfirmed_needs_check", run.network);
  const ok = await run.ctx.db.$transaction(async (tx) => {
    const changed = await transitionPublication(tx, run.ctx.organizationId, run.p.id, { from: ["UNCONFIRMED"], version: run.version }, {
      failureCode: "unconfirmed_needs_check",
      lastError: reason,
      nextAttemptAt: null,
      phaseData: phaseJson(run.meta.data, run.meta.run),
    });
    if (changed) {
      await notify(tx, {
        organizationId: run.ctx.organizationId,
        userId: run.p.content.createdById,
        kind: "publication.unconfirmed",
        params: { publicationId: run.p.id, contentId: run.p.contentId, title: run.p.content.title, network: NETWORK_NAMES[run.network], account: run.p.connection.accountName ?? "", reason },
        link: `/social/publications?tab=unconfirmed`,
        dedupe: { key: "publicationId", withinMs: NOTIFICATION_DEDUPE_MS },
      });
    }
    return changed;
  });
  return ok ? { kind: "done", status: "UNCONFIRMED" } : { kind: "stop", reason: "superseded" };
}

/**
 * The function's retries are used up on an unexpected error (a bug, the database away). Before the
 * first network call the post simply failed; after it, the network may have the post, so it
 * becomes UNCONFIRMED and is checked rather than re-sent.
 */
export async function giveUp(ctx: JobTenantCtx, input: { publicationId: string; version: number; error: string }, now = new Date()) {
  const p = await findPublicationForRun(ctx.db, ctx.organizationId, input.publicationId);
  if (!p || p.deletedAt || p.version !== input.version) return { status: null };
  const run = new Run(ctx, p, input.version, now);
  if (p.status === "DISPATCHED") {
    await run.failOwn("internal_error");
    return { status: "FAILED" as const };
  }
  if (p.status === "PUBLISHING") {
    if (!(await run.persist({ status: "UNCONFIRMED" }))) return { status: null };
    await needsPersonToCheck(run);
    return { status: "UNCONFIRMED" as const };
  }
  if (p.status === "UNCONFIRMED") {
    await needsPersonToCheck(run);
    return { status: "UNCONFIRMED" as const };
  }
  return { status: p.status };
}
