import { env } from "~/env";
import type { Provider } from "~/generated/prisma/enums";

/**
 * Paces this process's requests to each marketplace below the provider's per-app limit, so a sync
 * of 100 000 listings runs near the allowed rate instead of discovering it through 429s. Shared by
 * every seller account (the limit is per app, not per seller). The local jobs runner does not
 * enforce Inngest's `throttle`, so the pacing lives here, inside the steps.
 *
 * Requests are spaced evenly (one every 1/rate s) rather than allowed in bursts per window: a
 * burst at the edge of our window can land in one window of the provider's and trip its limit.
 */
type Lane = { intervalMs: number; nextAt: number };
const lanes = new Map<Provider, Lane>();

const SOCIAL_PROCESS_RPS = 200;

/** Requests per second for a provider: the configured rate, else 90 % of the sandbox's limit. */
export function syncRate(provider: Provider, isSandbox: boolean): number {
  // The social networks limit per account (Instagram's hourly call budget, TikTok's per-user
  // per-minute limits) or per day (YouTube's quota units), not per app per second: publishing keeps
  // one run per account at a time and spaces TikTok starts (publishing/account-pacing.ts), and 429s
  // are honoured by the caller. This lane only guards the process against a runaway loop.
  if (provider === "INSTAGRAM" || provider === "TIKTOK" || provider === "YOUTUBE") return SOCIAL_PROCESS_RPS;
  const configured = provider === "MERCADOLIVRE" ? env.MERCADOLIVRE_SYNC_RPS : provider === "SHOPEE" ? env.SHOPEE_SYNC_RPS : undefined;
  if (configured) return configured;
  if (isSandbox) return env.SANDBOX_RATE_LIMIT_PER_SECOND > 0 ? env.SANDBOX_RATE_LIMIT_PER_SECOND * 0.9 : 1000;
  // Mercado Livre answers 429 around 5–7 requests/s per app; Shopee documents no lower figure.
  return provider === "MERCADOLIVRE" ? 5 : 10;
}

/** Waits until `requests` more requests to the provider fit in its rate. */
export async function pace(provider: Provider, isSandbox: boolean, requests = 1) {
  let lane = lanes.get(provider);
  if (!lane) {
    lane = { intervalMs: 1000 / syncRate(provider, isSandbox), nextAt: 0 };
    lanes.set(provider, lane);
  }
  const now = Date.now();
  const start = Math.max(now, lane.nextAt);
  lane.nextAt = start + lane.intervalMs * requests;
  // The first request goes at `start`; the reservation covers the others of this call.
  if (start > now) await new Promise((resolve) => setTimeout(resolve, start - now));
}

/** Tests: forget the lanes so a changed rate takes effect. */
export function resetPacing() {
  lanes.clear();
}

/** Tests and benchmarks: pace a provider at `rps` from now on. */
export function setPacingRate(provider: Provider, rps: number) {
  lanes.set(provider, { intervalMs: 1000 / rps, nextAt: 0 });
}
