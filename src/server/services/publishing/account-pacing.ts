/**
 * Per-account spacing of publish starts, inside the steps (the local runner ignores Inngest's
 * `throttle`; ConnectorCaller paces per network app, not per account). TikTok allows 6 video/init
 * calls a minute per user: one start every 10 s per account keeps a queue of posts due in the same
 * minute inside it. Instagram and YouTube are bounded by their quotas instead (quota waits).
 */
import type { SocialNetworkId } from "~/lib/social/networks";

export const START_SPACING_MS: Record<SocialNetworkId, number> = { INSTAGRAM: 0, TIKTOK: 10_000, YOUTUBE: 0 };

const nextStartAt = new Map<string, number>();

/** Milliseconds until this account may start another publish (0 = now); reserves the slot when 0. */
export function reserveAccountStart(network: SocialNetworkId, connectionId: string, now = Date.now()): number {
  const spacing = START_SPACING_MS[network];
  if (spacing === 0) return 0;
  const next = nextStartAt.get(connectionId) ?? 0;
  if (next > now) return next - now;
  nextStartAt.set(connectionId, now + spacing);
  return 0;
}

/** Tests and benchmarks. */
export function resetAccountPacing() {
  nextStartAt.clear();
}
