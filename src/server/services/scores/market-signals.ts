/**
 * Market signals: the marketplace's own quality report (Mercado Livre /item/{id}/performance),
 * price reference and, where the item read leaves it out, description of each listing, fetched
 * after a sync for listings whose signals are missing or older than a day. Each call of `fetchMarketSignalsBatch` is one step of the background function:
 * it reads what is still stale from the database (never from the step's memory), so a retried or
 * continued run picks up where the last one stopped.
 */
import { getMarketplaceConnector } from "~/server/connectors/marketplace/registry";
import { ConnectorError, type MarketplaceProvider } from "~/server/connectors/marketplace/types";
import { findConnectionSecrets } from "~/server/repositories/connections";
import { listingsNeedingSignals, writeMarketSignals, type MarketSignals } from "~/server/repositories/listings";
import type { JobTenantCtx } from "../connectors/job-ctx";
import { ConnectorCaller, ParkRun, StopSync } from "../connectors/caller";
import { RawArchiveRecorder } from "../archive/raw-archive";

/** Signals younger than this are kept. */
export const MARKET_SIGNALS_MAX_AGE_MS = 24 * 3_600_000;
/** Listings per step: up to three requests each, paced, so a step stays under a minute at 5 req/s. */
export const MARKET_SIGNALS_BATCH = 25;

export type MarketSignalsStep =
  | { kind: "progress"; fetched: number; done: false }
  | { kind: "done"; fetched: number; done: true }
  | { kind: "wait"; waitMs: number; done: false }
  | { kind: "stopped"; reason: "needs_reconnect" | "disconnected" | "inactive"; done: true };

export async function fetchMarketSignalsBatch(
  ctx: JobTenantCtx,
  input: { connectionId: string; listingIds?: string[]; limit?: number; now?: Date },
): Promise<MarketSignalsStep> {
  const now = input.now ?? new Date();
  const connection = await findConnectionSecrets(ctx.db, ctx.organizationId, input.connectionId);
  if (!connection || connection.status !== "ACTIVE") return { kind: "stopped", reason: "inactive", done: true };
  const blockedFor = (connection.blockedUntil?.getTime() ?? 0) - Date.now();
  if (blockedFor > 0) return { kind: "wait", waitMs: blockedFor, done: false };

  const provider = connection.provider as MarketplaceProvider;
  const connector = getMarketplaceConnector(provider);
  // Without a partner API for signals (Shopee) every listing gets both as missing in one statement
  // instead of being paced through calls that cannot return anything.
  const limit = connector.hasMarketSignals ? (input.limit ?? MARKET_SIGNALS_BATCH) : 5000;
  const listings = await listingsNeedingSignals(ctx.db, ctx.organizationId, {
    connectionId: input.connectionId,
    staleBefore: new Date(now.getTime() - MARKET_SIGNALS_MAX_AGE_MS),
    limit,
    listingIds: input.listingIds,
  });
  if (listings.length === 0) return { kind: "done", fetched: 0, done: true };

  const signals: MarketSignals[] = [];
  let archive: RawArchiveRecorder | null = null;
  if (!connector.hasMarketSignals) {
    for (const listing of listings) signals.push({ listingId: listing.id, qualityScore: null, qualityLevel: null, qualityRules: null, suggestedPriceCents: null });
  } else {
    const caller = new ConnectorCaller(ctx, input.connectionId, provider, connector.isSandbox);
    const recorder = (archive = new RawArchiveRecorder(ctx, { kind: "signals", provider, connectionId: input.connectionId }));
    try {
      for (const listing of listings) {
        // A listing the marketplace no longer knows, or refuses to report on, gets no signals
        // rather than blocking the rest of the catalog.
        const params = { externalId: listing.externalId };
        const quality = await recorder.fetch("getQuality", params, () => caller.call((creds) => connector.getQuality(creds, listing.externalId))).catch(orNull);
        const price = await recorder.fetch("getPriceReference", params, () => caller.call((creds) => connector.getPriceReference(creds, listing.externalId))).catch(orNull);
        // Mercado Livre's item read leaves the description out: it is one more call per item, made
        // here with the other per-item reads rather than during ingestion.
        const getDescription = connector.getDescription?.bind(connector);
        const description = getDescription
          ? await recorder.fetch("getDescription", params, () => caller.call((creds) => getDescription(creds, listing.externalId))).catch(orUndefined)
          : undefined;
        signals.push({
          listingId: listing.id,
          qualityScore: quality ? Math.round(quality.score) : null,
          qualityLevel: quality?.level ?? null,
          qualityRules: quality?.rules ?? null,
          suggestedPriceCents: price?.suggestedPriceCents ?? null,
          description,
        });
      }
    } catch (error) {
      // What was fetched before a long rate-limit pause or a lost authorization is kept.
      await writeMarketSignals(ctx.db, ctx.organizationId, signals, now);
      await recorder.flush();
      if (error instanceof ParkRun) return { kind: "wait", waitMs: error.waitMs, done: false };
      if (error instanceof StopSync) return { kind: "stopped", reason: error.reason, done: true };
      throw error;
    }
  }
  await writeMarketSignals(ctx.db, ctx.organizationId, signals, now);
  await archive?.flush();
  ctx.log.debug({ connectionId: input.connectionId, fetched: signals.length }, "market signals stored");
  return signals.length < limit ? { kind: "done", fetched: signals.length, done: true } : { kind: "progress", fetched: signals.length, done: false };
}

function orNull(error: unknown): null {
  if (error instanceof ConnectorError && (error.kind === "not_found" || error.kind === "refused")) return null;
  throw error;
}

/** A description that could not be read is left as stored (not erased). */
function orUndefined(error: unknown): undefined {
  orNull(error);
  return undefined;
}
