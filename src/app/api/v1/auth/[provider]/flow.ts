import { env } from "~/env";
import type { Provider } from "~/generated/prisma/enums";

export function flowCookieName(provider: Provider) {
  return `ss_oauth_${provider.toLowerCase()}`;
}

/** Back to Settings → Connections, with the banner to show (never with provider error text). */
export function connectionsPage(query: Record<string, string>) {
  const url = new URL("/settings/connections", env.APP_URL);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url;
}
