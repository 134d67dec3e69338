/**
 * Applying an approved action to the marketplace. The background function (actions-apply.ts) calls
 * `applyAction` as one step, retried with backoff; `failAfterRetries` when the retries ran out.
 *
 * Never twice: the step first claims the action (APPROVED → APPLYING, committed), then writes
 * while holding a row lock on it and records the outcome in the same transaction. A second run
 * of the same action waits for the lock and finds it settled. An attempt that finds the action
 * already APPLYING follows one that may have reached the marketplace and died before recording
 * it, so it reads the item back first and only writes when the item does not show the change.
 * Updates carry absolute values, so even a repeated write could not apply a change twice.
 */
import { ZodError } from "zod";

import type { Prisma } from "~/generated/prisma/client";
import type { ActionType } from "~/generated/prisma/enums";
import { listingOverPlan, OVER_PLAN_TEXT } from "~/server/billing/entitlements";
import { getMarketplaceConnector } from "~/server/connectors/marketplace/registry";
import {
  ConnectorError,
  type ItemUpdate,
  type MarketplaceCredentials,
  type MarketplaceItem,
} from "~/server/connectors/marketplace/types";
import type { DbOrTx } from "~/server/db";
import {
  findActionForApply,
  metricTotals,
  transitionAction,
  updateAction,
  updateListingApplied,
  withActionLock,
  type ActionForApply,
} from "~/server/repositories/actions";
import { audit } from "../audit";
import type { JobTenantCtx } from "../connectors/job-ctx";
import { ConnectorCaller, StopSync } from "../connectors/caller";
import { emitWebhookEvent } from "../developer/webhooks/emit";
import { notify } from "../notifications/notify";
import { parseActionPayload, type ActionPayload, type ActionTypeName } from "./payloads";

const DAY_MS = 86_400_000;
/** Days before applying that make up the baseline's visits/day and sales/day. */
export const BASELINE_DAYS = 30;

/**
 * Failure codes a person may retry (the cause can go away: an outage, a reconnected account).
 * Anything else is the marketplace's answer about this change and would be refused again.
 */
// plan_limit: the listing was beyond the plan; after an upgrade the same change applies.
export const RETRYABLE_FAILURES = new Set(["retries_exhausted", "connection.needs_reconnect", "connection.disconnected", "plan_limit"]);

export type ApplyOutcome =
  | { status: "APPLIED"; wrote: boolean; listingId: string }
  | { status: "FAILED"; code: string; reason: string }
  | { status: "SKIPPED"; current: string };

/** A failure the marketplace (or the state of our data) gave: recorded, not retried. */
class ApplyRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The change to send for an action: absolute values only. */
export function itemUpdateFor(type: ActionType, rawPayload: unknown, current?: MarketplaceItem): ItemUpdate {
  const t = type as ActionTypeName;
  switch (t) {
    case "REWRITE_TITLE":
      return { title: (parseActionPayload(t, rawPayload) as ActionPayload<"REWRITE_TITLE">).title };
    case "REWRITE_DESCRIPTION":
      return { description: (parseActionPayload(t, rawPayload) as ActionPayload<"REWRITE_DESCRIPTION">).description };
    case "COMPLETE_ATTRIBUTES": {
      const p = parseActionPayload(t, rawPayload) as ActionPayload<"COMPLETE_ATTRIBUTES">;
      const attributes = p.attributes.flatMap((a) => (a.value && a.value.trim() ? [{ id: a.id, value: a.value.trim() }] : []));
      if (attributes.length === 0) throw new ApplyRefused("attributes.empty", "No attribute value to set");
      return { attributes };
    }
    case "ADD_PHOTOS": {
      const p = parseActionPayload(t, rawPayload) as ActionPayload<"ADD_PHOTOS">;
      if (p.pictureUrls.length === 0) throw new ApplyRefused("pictures.empty", "No picture URL to add");
      // Marketplaces replace the whole picture list: the current pictures go first, then the new ones.
      const existing = current?.pictureUrls;
      if (!existing && (current?.pictureCount ?? 0) > 0) {
        throw new ApplyRefused("pictures.current_unknown", "The marketplace did not list the item's current pictures, so adding would replace them");
      }
      const urls = [...(existing ?? [])];
      for (const url of p.pictureUrls) if (!urls.includes(url)) urls.push(url);
      return { pictureUrls: urls.slice(0, 12) };
    }
    case "ADJUST_PRICE":
      return { priceCents: (parseActionPayload(t, rawPayload) as ActionPayload<"ADJUST_PRICE">).toCents };
    case "ENABLE_FREE_SHIPPING":
      return { freeShipping: true };
    case "RESTOCK_ALERT":
      return { stock: (parseActionPayload(t, rawPayload) as ActionPayload<"RESTOCK_ALERT">).suggestedStock };
    case "PAUSE_LISTING":
      return { status: "PAUSED" };
  }
}

/** Does the item as the marketplace shows it already carry the update? (Unverifiable = no.) */
export function itemShows(item: MarketplaceItem, update: ItemUpdate): boolean {
  if (update.title !== undefined && item.title !== update.title) return false;
  if (update.priceCents !== undefined && item.priceCents !== update.priceCents) return false;
  if (update.stock !== undefined && item.stock !== update.stock) return false;
  if (update.status !== undefined && item.status !== update.status) return false;
  if (update.freeShipping !== undefined && item.freeShipping !== update.freeShipping) return false;
  if (update.description !== undefined && (item.description ?? undefined) !== update.description) return false;
  if (update.pictureUrls !== undefined) {
    const urls = item.pictureUrls;
    if (urls ? urls.join("\n") !== update.pictureUrls.join("\n") : item.pictureCount !== update.pictureUrls.length) return false;
  }
  if (update.attributes) {
    const values = new Map(item.attributes.map((a) => [a.id, a.value]));
    if (update.attributes.some((a) => values.get(a.id) !== a.value)) return false;
  }
  return true;
}

/** Our listing row after the update went through. */
function listingChanges(update: ItemUpdate, storedAttributes: Prisma.JsonValue): Prisma.ListingUpdateManyMutationInput {
  const data: Prisma.ListingUpdateManyMutationInput = {};
  if (update.title !== undefined) data.title = update.title;
  if (update.description !== undefined) data.description = update.description;
  if (update.priceCents !== undefined) data.priceCents = update.priceCents;
  if (update.stock !== undefined) data.stock = update.stock;
  if (update.status !== undefined) data.status = update.status;
  if (update.freeShipping !== undefined) data.freeShipping = update.freeShipping;
  if (update.pictureUrls !== undefined) data.pictureCount = update.pictureUrls.length;
  if (update.attributes) {
    const list = Array.isArray(storedAttributes) ? (storedAttributes as Array<{ id: string; name?: string; value: string | null }>) : [];
    const merged = list.map((a) => ({ ...a }));
    for (const { id, value } of update.attributes) {
      const found = merged.find((a) => a.id === id);
      if (found) found.value = value;
      else merged.push({ id, name: id, value });
    }
    data.attributes = merged as Prisma.InputJsonValue;
    const gtin = update.attributes.find((a) => a.id === "GTIN");
    if (gtin) data.gtin = gtin.value;
  }
  return data;
}

/** Score and 30-day averages just before applying: what the effect is measured against. */
async function baselineOf(db: DbOrTx, organizationId: string, listing: NonNullable<ActionForApply["listing"]>, at: Date) {
  const today = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const totals = await metricTotals(db, organizationId, listing.id, new Date(today.getTime() - BASELINE_DAYS * DAY_MS), today);
  const days = Math.max(1, totals.days);
  return {
    score: listing.healthScore,
    visitsPerDay: Math.round((totals.visits / days) * 100) / 100,
    salesPerDay: Math.round((totals.sales / days) * 100) / 100,
    priceCents: listing.priceCents,
    at: at.toISOString(),
  };
}

/**
 * Calls the marketplace through the connection's caller (paced, fresh credentials, one refresh on
 * 401, short 429 waits) and turns what no retry can fix into a refusal the action records: a lost
 * authorization, an item gone, the marketplace's own "no". Outages and long rate-limit pauses
 * (ParkRun) are thrown: the step fails and is retried with backoff.
 */
async function callMarketplace<T>(caller: ConnectorCaller, fn: (creds: MarketplaceCredentials) => Promise<T>) {
  try {
    return await caller.call(fn);
  } catch (error) {
    if (error instanceof StopSync) {
      throw new ApplyRefused(
        `connection.${error.reason}`,
        error.reason === "needs_reconnect" ? "The marketplace account must be reconnected" : "The marketplace account is disconnected",
      );
    }
    if (error instanceof ConnectorError && error.kind === "not_found") throw new ApplyRefused("item.not_found", "The item no longer exists on the marketplace");
    if (error instanceof ConnectorError && error.kind === "refused") throw new ApplyRefused(error.details.code ?? "refused", marketplaceMessage(error));
    throw error;
  }
}

/** The marketplace's own words about a refusal (its cause message when it gave one). */
function marketplaceMessage(error: ConnectorError): string {
  const cause = error.details.cause as { cause?: Array<{ message?: string }>; message?: string } | undefined;
  const text = cause?.cause?.find((c) => c.message)?.message ?? cause?.message ?? error.message;
  return text.slice(0, 500);
}

async function claim(ctx: JobTenantCtx, actionId: string): Promise<{ kind: "fresh" | "resumed" } | { kind: "skip"; current: string }> {
  const now = new Date();
  if (await transitionAction(ctx.db, ctx.organizationId, actionId, ["APPROVED"], { status: "APPLYING", applyingAt: now, attempts: { increment: 1 } })) {
    return { kind: "fresh" };
  }
  const action = await findActionForApply(ctx.db, ctx.organizationId, actionId);
  if (!action) return { kind: "skip", current: "MISSING" };
  if (action.status !== "APPLYING") return { kind: "skip", current: action.status };
  await updateAction(ctx.db, ctx.organizationId, actionId, { attempts: { increment: 1 } });
  return { kind: "resumed" };
}

/**
 * One attempt at applying an action. Returns the outcome; throws on transient trouble (the
 * function retries). `lockTimeoutMs` bounds waits on other rows while the action is locked.
 */
export async function applyAction(ctx: JobTenantCtx, input: { actionId: string }, options: { lockTimeoutMs?: number } = {}): Promise<ApplyOutcome> {
  const { organizationId } = ctx;
  const { actionId } = input;
  const claimed = await claim(ctx, actionId);
  if (claimed.kind === "skip") return { status: "SKIPPED", current: claimed.current };
  try {
    return await withActionLock(
      ctx.db,
      organizationId,
      actionId,
      async (tx) => {
        const action = await findActionForApply(tx, organizationId, actionId);
        // Another attempt finished it while this one waited for the lock.
        if (!action || action.status !== "APPLYING") return { status: "SKIPPED", current: action?.status ?? "MISSING" } as const;
        const actor = { organizationId, userId: ctx.userId ?? action.approvedById ?? null, request: ctx.correlationId ? { correlationId: ctx.correlationId } : undefined };
        try {
          const listing = action.listing;
          if (!listing || listing.deletedAt) throw new ApplyRefused("listing.missing", "The listing no longer exists");
          // Approved before a downgrade: the listing (or its account) is now beyond the plan, read-only.
          if (await listingOverPlan(tx, organizationId, listing.id)) throw new ApplyRefused("plan_limit", OVER_PLAN_TEXT);
          const connector = getMarketplaceConnector(listing.provider as "MERCADOLIVRE" | "SHOPEE");
          const caller = new ConnectorCaller(ctx, listing.connectionId, connector.provider, connector.isSandbox);
          const call = <T,>(fn: (creds: MarketplaceCredentials) => Promise<T>) => callMarketplace(caller, fn);
          const readItem = async () => {
            const [item] = await call((creds) => connector.getItems(creds, [listing.externalId]));
            if (!item) throw new ApplyRefused("item.not_found", "The item no longer exists on the marketplace");
            return item;
          };
          // The current pictures are needed to add to them; a resumed attempt checks what the
          // previous one may already have written.
          const current = action.type === "ADD_PHOTOS" || claimed.kind === "resumed" ? await readItem() : undefined;
          let update: ItemUpdate;
          try {
            update = itemUpdateFor(action.type, action.payload, current);
          } catch (error) {
            // Approval validated it; a payload that no longer parses is a bug to see, not to retry.
            if (error instanceof ZodError) throw new ApplyRefused("payload.invalid", "The approved change is not valid any more");
            throw error;
          }
          let wrote = false;
          if (!(claimed.kind === "resumed" && current && itemShows(current, update))) {
            await call((creds) => connector.updateItem(creds, listing.externalId, update));
            wrote = true;
          }
          const now = new Date();
          const baseline = await baselineOf(tx, organizationId, listing, now);
          await updateListingApplied(tx, organizationId, listing.id, listingChanges(update, listing.attributes));
          await updateAction(tx, organizationId, actionId, {
            status: "APPLIED",
            appliedAt: now,
            openKey: null,
            failureCode: null,
            failureReason: null,
            baseline,
            result: { update, wrote } as unknown as Prisma.InputJsonValue,
          });
          await audit(tx, actor, "action.applied", { type: "action", id: actionId }, { type: action.type, listingId: listing.id, wrote, attempts: action.attempts });
          await emitWebhookEvent(tx, organizationId, "action.applied", { actionId, listingId: listing.id, type: action.type, appliedAt: now.toISOString() });
          ctx.log.info({ actionId, type: action.type, wrote }, "action applied");
          return { status: "APPLIED", wrote, listingId: listing.id } as const;
        } catch (error) {
          if (!(error instanceof ApplyRefused)) throw error;
          await markFailed(tx, ctx, actionId, action.type, error.code, error.message, actor, action.listing?.id ?? null);
          return { status: "FAILED", code: error.code, reason: error.message } as const;
        }
      },
      options,
    );
  } catch (error) {
    // Kept on the action while it is retried, and as the reason if the retries run out.
    const reason = describe(error);
    await transitionAction(ctx.db, organizationId, actionId, ["APPLYING"], { failureReason: reason }).catch(() => undefined);
    ctx.log.warn({ actionId, reason }, "applying an action failed; it will be retried");
    throw error;
  }
}

async function markFailed(
  db: DbOrTx,
  ctx: JobTenantCtx,
  actionId: string,
  type: ActionType,
  code: string,
  reason: string,
  actor: Parameters<typeof audit>[1],
  listingId: string | null,
) {
  await updateAction(db, ctx.organizationId, actionId, { status: "FAILED", failedAt: new Date(), openKey: null, failureCode: code.slice(0, 120), failureReason: reason.slice(0, 500) });
  await audit(db, actor, "action.failed", { type: "action", id: actionId }, { type, code, reason: reason.slice(0, 500) });
  await emitWebhookEvent(db, ctx.organizationId, "action.failed", { actionId, listingId, type, code: code.slice(0, 120), reason: reason.slice(0, 500), failedAt: new Date().toISOString() });
  await notifyActionFailed(db, ctx.organizationId, actor.userId ?? null, { actionId, type, code, reason });
  ctx.log.info({ actionId, code }, "action failed");
}

/** After the last retry: the action is FAILED with the last reason (and may be retried by a person). */
export async function failAfterRetries(ctx: JobTenantCtx, input: { actionId: string; error: string }) {
  const action = await findActionForApply(ctx.db, ctx.organizationId, input.actionId);
  if (!action || (action.status !== "APPLYING" && action.status !== "APPROVED")) return { status: "SKIPPED" as const, current: action?.status ?? "MISSING" };
  const reason = (action.failureReason ?? input.error).slice(0, 500);
  const actor = { organizationId: ctx.organizationId, userId: ctx.userId ?? action.approvedById ?? null, request: ctx.correlationId ? { correlationId: ctx.correlationId } : undefined };
  const failed = await ctx.db.$transaction(async (tx) => {
    const data = { status: "FAILED" as const, failedAt: new Date(), openKey: null, failureCode: "retries_exhausted", failureReason: reason };
    if (!(await transitionAction(tx, ctx.organizationId, input.actionId, ["APPLYING", "APPROVED"], data))) return false;
    await audit(tx, actor, "action.failed", { type: "action", id: input.actionId }, { type: action.type, code: "retries_exhausted", reason });
    await emitWebhookEvent(tx, ctx.organizationId, "action.failed", { actionId: input.actionId, listingId: action.listing?.id ?? null, type: action.type, code: "retries_exhausted", reason, failedAt: data.failedAt.toISOString() });
    await notifyActionFailed(tx, ctx.organizationId, actor.userId ?? null, { actionId: input.actionId, type: action.type, code: "retries_exhausted", reason });
    return true;
  });
  if (!failed) return { status: "SKIPPED" as const, current: "SETTLED" };
  ctx.log.info({ actionId: input.actionId }, "action failed after its retries");
  return { status: "FAILED" as const, code: "retries_exhausted", reason };
}

/** Tells whoever approved the action (everyone who sees actions when nobody did) that it failed. */
function notifyActionFailed(db: DbOrTx, organizationId: string, userId: string | null, input: { actionId: string; type: ActionType; code: string; reason: string }) {
  return notify(db, {
    organizationId,
    userId,
    kind: "action.failed",
    params: { actionId: input.actionId, type: input.type, code: input.code.slice(0, 120), reason: input.reason.slice(0, 300) },
    link: "/seller/actions",
  });
}

function describe(error: unknown): string {
  if (error instanceof ConnectorError) return `${error.kind}: ${error.message}`.slice(0, 500);
  if (error instanceof Error && /lock timeout|could not obtain lock|deadlock/i.test(error.message)) return "database busy: the change will be recorded on the next attempt";
  return "Unexpected error while applying; it will be retried.";
}
