/**
 * What a provider request meets at the circuit breakers (docs/resilience.md): ParkRun / CircuitOpen
 * tell the background function to wait, and `callThroughBreaker` guards a single request that does
 * not go through ConnectorCaller (token refreshes). Apart from caller.ts so the token service can use
 * it without an import cycle.
 */
import type { Db } from "~/server/db";
import { ConnectorError, providerHealthOf } from "~/server/connectors/common";
import { admitCall, type CircuitTarget, type ScopeKind } from "../resilience/circuit-breaker";

/** A marker thrown out of a connector call: the provider asked for a long pause. */
export class ParkRun extends Error {
  constructor(readonly waitMs: number) {
    super("rate limited");
  }
}
/**
 * The provider's (or this connection's) circuit breaker is open: nothing was sent. A ParkRun, so
 * every function that parks on a long 429 also waits here — until `until`, not with retries.
 */
export class CircuitOpen extends ParkRun {
  constructor(
    readonly until: Date,
    readonly scope: ScopeKind,
  ) {
    super(Math.max(0, until.getTime() - Date.now()));
    this.message = `circuit open (${scope}) until ${until.toISOString()}`;
  }
}

/** A short, secret-free code for the breaker's last error (shown to operators, never a message). */
export function circuitErrorCode(error: unknown): string {
  if (!(error instanceof ConnectorError)) return "error";
  const { status, code } = error.details;
  if (status && status >= 400) return `http_${status}`;
  // An error inside a 200 answer (TikTok's Business API, Shopee): the provider's own code says more.
  return String(code ?? (status ? `http_${status}` : error.kind)).slice(0, 40);
}

/**
 * One provider request under the connection's and the provider's breakers: refused with
 * CircuitOpen while one is open (nothing sent), its outcome recorded otherwise — a provider failure
 * counts, an answer (even a refusal such as invalid_grant) closes, anything else leaves them alone.
 */
export async function callThroughBreaker<T>(db: Db, target: CircuitTarget, request: () => Promise<T>): Promise<T> {
  const admitted = await admitCall(db, target);
  if ("blocked" in admitted) throw new CircuitOpen(admitted.blocked.until, admitted.blocked.scope);
  const { gate } = admitted;
  try {
    const result = await request();
    await gate.succeeded();
    return result;
  } catch (error) {
    const health = providerHealthOf(error);
    if (health === "up") await gate.succeeded();
    else if (health === "down") await gate.failed(circuitErrorCode(error));
    else await gate.released();
    throw error;
  }
}
