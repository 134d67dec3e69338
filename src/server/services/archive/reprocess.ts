/**
 * Rebuilds listings (with their visits and daily snapshots) or social metrics for a range of days
 * from the raw archive, without a single provider call: each archived object is one step of the
 * original sync, and its lines go through that sync's own store step (storeListingsPage,
 * storeAccountMetrics, storePostMetrics) in the order they were fetched.
 */
import type { DailyVisits, MarketplaceItem, MarketplaceProvider } from "~/server/connectors/marketplace/types";
import type { AccountDailyMetrics, PostMetrics } from "~/server/connectors/social/types";
import { findConnection } from "~/server/repositories/connections";
import { listingSyncTimes, publicationIdsByExternalId } from "~/server/repositories/raw-archive";
import { storeAccountMetrics, storePostMetrics } from "../analytics/sync";
import type { JobTenantCtx } from "../connectors/job-ctx";
import { storeListingsPage, withinListingLimit } from "../listings/sync";
import { listArchiveObjects, readArchiveObject, type ArchiveLine, type ArchiveObject } from "./raw-archive";

export type ReprocessKind = "listings" | "metrics";
export type ReprocessInput = { kind: ReprocessKind; connectionId?: string; from: string; to: string };
/** `newerKept`: listings of a replayed page left alone because a later sync already stored them. */
export type ReprocessOutcome = { objects: number; lines: number; skipped: number; listings: number; newerKept: number; accountDays: number; posts: number };

const MARKETPLACES = new Set(["MERCADOLIVRE", "SHOPEE"]);

/**
 * The days a reprocess replays, oldest first, with how many objects each holds (a background
 * function's first step: its output stays small however large the archive).
 */
export async function planReprocess(ctx: JobTenantCtx, input: ReprocessInput): Promise<{ date: string; objects: number }[]> {
  const objects = await listArchiveObjects(ctx.organizationId, { kind: input.kind, from: input.from, to: input.to });
  const days = new Map<string, number>();
  for (const o of objects) days.set(o.date, (days.get(o.date) ?? 0) + 1);
  return [...days].map(([date, count]) => ({ date, objects: count }));
}

/** Replays objects [offset, offset + limit) of one day, in fetch order (one step of the function). */
export async function reprocessDay(ctx: JobTenantCtx, input: ReprocessInput, date: string, offset: number, limit: number): Promise<ReprocessOutcome> {
  const objects = await listArchiveObjects(ctx.organizationId, { kind: input.kind, from: date, to: date });
  return reprocessObjects(ctx, input, objects.slice(offset, offset + limit));
}

/** Replays these objects (in the given order) through the store steps; returns what was rebuilt. */
export async function reprocessObjects(ctx: JobTenantCtx, input: ReprocessInput, objects: { key: string; size: number }[]): Promise<ReprocessOutcome> {
  const outcome: ReprocessOutcome = { objects: 0, lines: 0, skipped: 0, listings: 0, newerKept: 0, accountDays: 0, posts: 0 };
  const connections = new Map<string, boolean>();
  const known = async (connectionId: string) => {
    if (!connections.has(connectionId)) connections.set(connectionId, (await findConnection(ctx.db, ctx.organizationId, connectionId)) !== null);
    return connections.get(connectionId)!;
  };
  for (const object of objects) {
    const lines = (await readArchiveObject(ctx.organizationId, object)).filter((l) => l.kind === input.kind && (!input.connectionId || l.connectionId === input.connectionId));
    if (lines.length === 0) continue;
    outcome.objects += 1;
    // An object holds one connection's step; a connection deleted since is skipped, never re-created.
    const connectionId = lines[0]!.connectionId;
    if (!(await known(connectionId))) {
      outcome.skipped += lines.length;
      continue;
    }
    outcome.lines += lines.length;
    if (input.kind === "listings") {
      const { stored, newerKept } = await replayListings(ctx, connectionId, lines);
      outcome.listings += stored;
      outcome.newerKept += newerKept;
    } else {
      const { accountDays, posts } = await replayMetrics(ctx, connectionId, lines);
      outcome.accountDays += accountDays;
      outcome.posts += posts;
    }
  }
  ctx.log.info({ ...input, ...outcome }, "raw archive reprocessed");
  return outcome;
}

/**
 * One archived sync page: its items, their visits, stored as of when they were fetched. A listing a
 * later sync already stored is left alone: a day's sales and Shopee visits are growth since the
 * previous sync, so rewinding a listing to an older page and replaying forward again would count
 * that growth twice. Replaying the page a listing was last stored from is harmless (no growth).
 */
async function replayListings(ctx: JobTenantCtx, connectionId: string, lines: ArchiveLine[]): Promise<{ stored: number; newerKept: number }> {
  const provider = lines[0]!.provider;
  if (!MARKETPLACES.has(provider)) return { stored: 0, newerKept: 0 };
  const fetched: MarketplaceItem[] = [];
  const visits: DailyVisits[] = [];
  const lifetimeVisits = new Map<string, number>();
  for (const line of lines) {
    if (line.request.op === "getItems") fetched.push(...(line.payload as MarketplaceItem[]));
    else if (line.request.op === "getVisits" && line.request.params.lifetime === true) for (const v of line.payload as DailyVisits[]) lifetimeVisits.set(v.externalId, v.visits);
    else if (line.request.op === "getVisits") visits.push(...(line.payload as DailyVisits[]));
  }
  if (fetched.length === 0) return { stored: 0, newerKept: 0 };
  const now = fetchedAtOf(lines);
  const syncedAt = await listingSyncTimes(ctx.db, ctx.organizationId, connectionId, fetched.map((i) => i.externalId));
  const current = fetched.filter((i) => (syncedAt.get(i.externalId)?.getTime() ?? 0) <= now.getTime());
  if (current.length === 0) return { stored: 0, newerKept: fetched.length };
  // The plan's limit applies as it did during the sync (the same items are admitted again).
  const { items } = await withinListingLimit(ctx, connectionId, current);
  const ids = await storeListingsPage(ctx, { connectionId, provider: provider as MarketplaceProvider }, { items, visits, lifetimeVisits, now });
  return { stored: ids.size, newerKept: fetched.length - current.length };
}

async function replayMetrics(ctx: JobTenantCtx, connectionId: string, lines: ArchiveLine[]) {
  let accountDays = 0;
  let posts = 0;
  for (const line of lines) {
    if (line.request.op === "getAccountMetrics") {
      const window = { from: String(line.request.params.from), to: String(line.request.params.to) };
      accountDays += await storeAccountMetrics(ctx, connectionId, window, line.payload as AccountDailyMetrics[]);
    } else if (line.request.op === "getPostMetrics") {
      const metrics = line.payload as PostMetrics[];
      const byExternalId = await publicationIdsByExternalId(ctx.db, ctx.organizationId, connectionId, metrics.map((m) => m.externalId));
      const day = new Date(`${String(line.request.params.day)}T00:00:00.000Z`);
      posts += await storePostMetrics(ctx, day, byExternalId, metrics);
    }
  }
  return { accountDays, posts };
}

/** The instant the sync stored the page as (its "stored" line), else when the items were fetched. */
function fetchedAtOf(lines: ArchiveLine[]): Date {
  const stored = lines.find((l) => l.request.op === "stored")?.request.params.at;
  return new Date(typeof stored === "string" ? stored : (lines.find((l) => l.request.op === "getItems")?.fetchedAt ?? lines[0]!.fetchedAt));
}

export type { ArchiveObject };
