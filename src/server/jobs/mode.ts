import { env } from "~/env";

/**
 * Where background functions run.
 * - "inngest": a real Inngest server executes them through /api/inngest — Inngest Cloud
 *   (INNGEST_EVENT_KEY / INNGEST_SIGNING_KEY), a self-hosted server (INNGEST_BASE_URL) or the dev
 *   server (INNGEST_DEV).
 * - "local": no Inngest server exists (this machine, CI, an offline laptop). The same function
 *   definitions run in-process through the SDK's own serve handler, with events, steps and
 *   schedules kept in PostgreSQL (src/server/jobs/local).
 */
export type JobsMode = "local" | "inngest";

type ModeEnv = Pick<
  typeof env,
  "JOBS_MODE" | "INNGEST_EVENT_KEY" | "INNGEST_SIGNING_KEY" | "INNGEST_BASE_URL" | "INNGEST_DEV"
>;

export function resolveJobsMode(e: ModeEnv = env): JobsMode {
  if (e.JOBS_MODE !== "auto") return e.JOBS_MODE;
  const devServer = e.INNGEST_DEV !== undefined && e.INNGEST_DEV !== "0" && e.INNGEST_DEV !== "false";
  return e.INNGEST_EVENT_KEY || e.INNGEST_SIGNING_KEY || e.INNGEST_BASE_URL || devServer ? "inngest" : "local";
}

export const jobsMode: JobsMode = resolveJobsMode();

export const INNGEST_DEV_SERVER_URL = "http://localhost:8288";

/** Where operators watch runs when a real Inngest server executes them; null in local mode. */
export function inngestDashboardUrl(e: ModeEnv = env): string | null {
  if (resolveJobsMode(e) === "local") return null;
  const dev = e.INNGEST_DEV;
  if (dev && dev !== "0" && dev !== "false") return /^https?:\/\//.test(dev) ? dev : INNGEST_DEV_SERVER_URL;
  if (e.INNGEST_BASE_URL) return e.INNGEST_BASE_URL;
  return "https://app.inngest.com";
}
