import { RetryAfterError } from "inngest";

import { CircuitOpen } from "~/server/services/connectors/breaker-call";

/** Rounds of "breaker open → sleep until it reopens" a run waits through before it gives up. */
export const MAX_CIRCUIT_WAITS = 48;

/**
 * Runs a step body that may meet an open circuit breaker mid-way (after the function's own check):
 * the step is retried at the breaker's reopen time (Inngest's RetryAfterError, honoured by the
 * local runner too) rather than after the usual backoff. Nothing was sent for the blocked call.
 */
export async function retryWhenCircuitOpens<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof CircuitOpen) throw new RetryAfterError(error.message, error.until, { cause: error });
    throw error;
  }
}
