import { env } from "~/env";
import type { Provider } from "~/generated/prisma/enums";
import { AppError } from "~/server/lib/errors";

export function flowCookieName(provider: Provider) {
  return `ss_oauth_${provider.toLowerCase()}`;
}

/** Back to Settings → Connections, with the banner to show (never with provider error text). */
export function connectionsPage(query: Record<string, string>) {
  const url = new URL("/settings/connections", env.APP_URL);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url;
}

/** The details the banner needs to name a refused plan limit (limit, usage, plan, upgrade): no secrets. */
export const PLAN_LIMIT_QUERY_KEYS = ["limit", "used", "max", "plan", "upgradePlan", "upgradeLimit"] as const;

export function planLimitQuery(error: unknown): Record<string, string> {
  if (!(error instanceof AppError) || error.reason !== "planLimitReached" || !error.details) return {};
  const query: Record<string, string> = {};
  for (const key of PLAN_LIMIT_QUERY_KEYS) {
    const value = error.details[key];
    if (typeof value === "string" || typeof value === "number") query[key] = String(value);
  }
  return query;
}
