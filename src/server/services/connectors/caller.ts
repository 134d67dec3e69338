/**
 * One way to call a provider (marketplace or social network) for a connection from a background function: paced to the
 * provider's rate, with fresh credentials, one refresh-and-retry on 401, short 429 waits inline and
 * long ones handed to the function (ParkRun), a lost authorization as StopSync. The sync, market
 * signals, sales backfill and applying actions all call through it.
 */
import type { Provider } from "~/generated/prisma/enums";
import { ConnectorError, providerHealthOf, type AccountCredentials } from "~/server/connectors/common";
import { updateConnection } from "~/server/repositories/connections";
import { admitCall } from "../resilience/circuit-breaker";
import { CircuitOpen, circuitErrorCode, ParkRun } from "./breaker-call";
import type { JobTenantCtx } from "./job-ctx";
import { pace } from "./pacing";
import { freshCredentials, type FreshCredentials } from "./tokens";

/** Rate-limit waits up to this long happen inside the step; longer ones park the run (step.sleep). */
const MAX_INLINE_WAIT_MS = 5_000;
const MAX_INLINE_RETRIES = 8;

// Thrown out of calls made through here; the functions catch them from this module.
export { CircuitOpen, ParkRun };

export class StopSync extends Error {
  constructor(readonly reason: "needs_reconnect" | "disconnected") {
    super(reason);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls the connector for one connection: paced to the provider's rate, with fresh credentials,
 * one refresh-and-retry on 401, short 429 waits inline and long ones handed to the function.
 */
export class ConnectorCaller {
  private creds: AccountCredentials | null = null;
  constructor(
    private readonly ctx: JobTenantCtx,
    private readonly connectionId: string,
    private readonly provider: Provider,
    private readonly isSandbox: boolean,
  ) {}

  private async credentials(options?: { force?: boolean; rejectedAccessToken?: string }) {
    const fresh: FreshCredentials = await freshCredentials(this.ctx, this.connectionId, options);
    if (!fresh.ok) throw new StopSync(fresh.reason);
    this.creds = fresh.credentials;
    return fresh.credentials;
  }

  async call<T>(fn: (creds: AccountCredentials) => Promise<T>): Promise<T> {
    let creds = this.creds ?? (await this.credentials());
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      await pace(this.provider, this.isSandbox);
      const admitted = await admitCall(this.ctx.db, { provider: this.provider, connectionId: this.connectionId, organizationId: this.ctx.organizationId });
      if ("blocked" in admitted) throw new CircuitOpen(admitted.blocked.until, admitted.blocked.scope);
      const gate = admitted.gate;
      try {
        const result = await fn(creds);
        await gate.succeeded();
        return result;
      } catch (error) {
        const health = providerHealthOf(error);
        if (health === "up") await gate.succeeded();
        if (health === "down") {
          const open = await gate.failed(circuitErrorCode(error));
          // The breaker is open now: park until it half-opens instead of retrying into the outage.
          // Never for a mutation whose outcome is unknown (publishing must confirm it first).
          if (open && error instanceof ConnectorError && error.kind === "transient") throw new CircuitOpen(open.until, open.scope);
        }
        if (!(error instanceof ConnectorError)) {
          await gate.released();
          throw error;
        }
        if (error.kind === "unauthorized" && !refreshed) {
          refreshed = true;
          creds = await this.credentials({ force: true, rejectedAccessToken: creds.accessToken });
          continue;
        }
        if (error.kind === "invalid_grant" || error.kind === "unauthorized") {
          throw new StopSync("needs_reconnect");
        }
        if (error.kind === "rate_limited") {
          const waitMs = Math.max(200, error.details.retryAfterMs ?? 1000);
          if (waitMs <= MAX_INLINE_WAIT_MS && attempt < MAX_INLINE_RETRIES) {
            await gate.released();
            this.ctx.log.debug({ connectionId: this.connectionId, waitMs }, "rate limited; waiting");
            await sleep(waitMs);
            continue;
          }
          // Still limited after the inline retries: that counts as a provider failure.
          await gate.failed("rate_limited");
          const until = new Date(Date.now() + waitMs);
          await updateConnection(this.ctx.db, this.ctx.organizationId, this.connectionId, { blockedUntil: until });
          throw new ParkRun(waitMs);
        }
        throw error;
      }
    }
  }
}
