import { Inngest } from "inngest";

import { logger } from "~/server/lib/logger";
import { LOCAL_EVENT_API_URL, localEventFetch } from "./local/send";
import { jobsMode } from "./mode";
import { OrganizationSuspendedMiddleware } from "./suspension-middleware";
import { TelemetryMiddleware } from "./telemetry-middleware";

export const INNGEST_APP_ID = "super-seller";

/**
 * The one Inngest client. With a real Inngest server the SDK reads INNGEST_EVENT_KEY,
 * INNGEST_SIGNING_KEY, INNGEST_BASE_URL and INNGEST_DEV itself. In local mode the client is in dev
 * mode (no signing: /api/inngest is closed in that mode, see its route) and its event API is
 * `localEventFetch`, which stores sent events in PostgreSQL for the local runner — so
 * `inngest.send(...)` and `step.sendEvent(...)` work unchanged everywhere.
 */
export const inngest = new Inngest({
  id: INNGEST_APP_ID,
  logger: logger.child({ component: "inngest" }),
  // Telemetry first: its span and correlation id enclose the other middleware too.
  middleware: [TelemetryMiddleware, OrganizationSuspendedMiddleware],
  ...(jobsMode === "local" ? { isDev: true, baseUrl: LOCAL_EVENT_API_URL, fetch: localEventFetch } : {}),
});
