/**
 * Circuit breakers per provider (global) and per connection, shared by every process through
 * provider_circuits. ConnectorCaller asks `admitCall` before each provider request and reports
 * the outcome; a blocked call never reaches the network, and the background function waits until
 * the reopen time (see ParkRun/CircuitOpen in services/connectors/caller.ts). Semantics and
 * concurrency: docs/resilience.md.
 */
import { env } from "~/env";
import type { Provider } from "~/generated/prisma/enums";
import type { Db, DbOrTx } from "~/server/db";
import { logger } from "~/server/lib/logger";
import { findConnection, organizationsConnectedTo } from "~/server/repositories/connections";
import {
  findCircuits,
  listOpenCircuitsForOrganization,
  updateCircuitLocked,
  type CircuitScope,
  type StoredCircuit,
} from "~/server/repositories/provider-circuits";
import { notify } from "../notifications/notify";
import { admission, afterFailure, afterSuccess, claimProbe, type Admission, type CircuitConfig, type CircuitRow } from "./circuit-state";

const log = logger.child({ component: "circuit-breaker" });

let overrides: Partial<CircuitConfig> = {};

export function circuitConfig(): CircuitConfig {
  return {
    failureThreshold: env.CIRCUIT_FAILURE_THRESHOLD,
    providerFailureThreshold: env.CIRCUIT_PROVIDER_FAILURE_THRESHOLD,
    openMs: env.CIRCUIT_OPEN_SECONDS * 1000,
    maxOpenMs: env.CIRCUIT_MAX_OPEN_SECONDS * 1000,
    // Longer than any connector's request timeout: a live probe keeps its lease to the end.
    probeLeaseMs: 60_000,
    ...overrides,
  };
}

/** Tests: other thresholds and windows until the returned function restores the previous ones. */
export function configureCircuits(next: Partial<CircuitConfig>): () => void {
  const previous = overrides;
  overrides = { ...overrides, ...next };
  return () => {
    overrides = previous;
  };
}

export type CircuitTarget = { provider: Provider; connectionId: string; organizationId: string };
export type ScopeKind = "provider" | "connection";

export const providerScopeKey = (provider: Provider) => `provider:${provider}`;
export const connectionScopeKey = (connectionId: string) => `connection:${connectionId}`;

function scopesOf(target: CircuitTarget): { kind: ScopeKind; scope: CircuitScope }[] {
  return [
    { kind: "provider", scope: { scopeKey: providerScopeKey(target.provider), provider: target.provider, connectionId: null, organizationId: null } },
    {
      kind: "connection",
      scope: { scopeKey: connectionScopeKey(target.connectionId), provider: target.provider, connectionId: target.connectionId, organizationId: target.organizationId },
    },
  ];
}

export type Blocked = { until: Date; scope: ScopeKind };

/** The reopen time when a call for this connection would be refused now (read only, no probe claimed). */
export async function circuitBlockedUntil(db: DbOrTx, target: CircuitTarget, now = new Date()): Promise<Blocked | null> {
  return blockedBy(await seenRows(db, target), target, now);
}

async function seenRows(db: DbOrTx, target: CircuitTarget): Promise<Map<string, StoredCircuit | null>> {
  const scopes = scopesOf(target);
  const rows = await findCircuits(db, scopes.map((s) => s.scope.scopeKey));
  return new Map(scopes.map((s) => [s.scope.scopeKey, rows.find((r) => r.scopeKey === s.scope.scopeKey) ?? null]));
}

function blockedBy(seen: Map<string, StoredCircuit | null>, target: CircuitTarget, now: Date): Blocked | null {
  let blocked: Blocked | null = null;
  for (const { kind, scope } of scopesOf(target)) {
    const a = admission(seen.get(scope.scopeKey) ?? null, now);
    if (a.kind === "blocked" && (!blocked || a.until > blocked.until)) blocked = { until: a.until, scope: kind };
  }
  return blocked;
}

/** One admitted call: report its outcome exactly once. */
export class CircuitGate {
  private reported = false;
  constructor(
    private readonly db: Db,
    private readonly target: CircuitTarget,
    private readonly seen: Map<string, StoredCircuit | null>,
    /** Scope keys whose half-open probe this call holds. */
    readonly probes: Set<string>,
  ) {}

  /**
   * The provider answered (success or a business refusal): probes close, failure counts reset.
   * Never throws: the call's own outcome (maybe a post now live) must not turn into an error
   * because the bookkeeping failed — a retry could repeat a mutation.
   */
  async succeeded(): Promise<void> {
    if (this.reported) return;
    this.reported = true;
    await this.safely("success", () => this.recordSuccess());
  }

  private async safely<T>(what: string, body: () => Promise<T>): Promise<T | null> {
    try {
      return await body();
    } catch (error) {
      log.warn({ connectionId: this.target.connectionId, provider: this.target.provider, what, error: error instanceof Error ? error.message : String(error) }, "circuit breaker bookkeeping failed");
      return null;
    }
  }

  private async recordSuccess(): Promise<void> {
    for (const { kind, scope } of scopesOf(this.target)) {
      const probe = this.probes.has(scope.scopeKey);
      // Nothing to write for a closed, clean breaker: the usual call costs no write.
      if (!probe && !afterSuccess(this.seen.get(scope.scopeKey) ?? null, { probe })) continue;
      const closed = await updateCircuitLocked(this.db, scope, (row) => {
        const next = afterSuccess(row, { probe });
        return next ? { row: next.row, result: next.closed } : { row: null, result: false };
      });
      if (closed) log.info({ scope: scope.scopeKey, kind }, "circuit closed: the provider answered the probe");
    }
  }

  /**
   * The provider failed this call (5xx, timeout, network, 429 beyond retries). Returns the
   * reopen time when a breaker of this call is open now, so the caller can park instead of retrying.
   */
  async failed(code: string): Promise<Blocked | null> {
    if (this.reported) return null;
    this.reported = true;
    // Never throws either: the provider's error is what the caller must see.
    const recorded = await this.safely("failure", () => this.recordFailure(code));
    if (recorded?.opened.length) await this.safely("notify", () => notifyOutage(this.db, this.target, recorded.opened));
    return recorded?.blocked ?? null;
  }

  private async recordFailure(code: string): Promise<{ blocked: Blocked | null; opened: ScopeKind[] }> {
    const config = circuitConfig();
    const now = new Date();
    const connectionKey = connectionScopeKey(this.target.connectionId);
    let blocked: Blocked | null = null;
    const opened: ScopeKind[] = [];
    for (const { kind, scope } of scopesOf(this.target)) {
      const probe = this.probes.has(scope.scopeKey);
      // A connection's own probes do not count against the provider: one account failing again and
      // again must not open the breaker of every other account (docs/resilience.md).
      if (kind === "provider" && !probe && this.probes.has(connectionKey)) continue;
      const threshold = kind === "provider" ? config.providerFailureThreshold : config.failureThreshold;
      const result = await updateCircuitLocked(this.db, scope, (row) => {
        const next = afterFailure(row, { now, threshold, probe, code }, config);
        return { row: next.row, result: next };
      });
      if (result.opened) {
        log.warn({ scope: scope.scopeKey, kind, code, failures: result.row.failures, reopenAt: result.row.reopenAt }, "circuit opened");
        opened.push(kind);
      }
      if (result.row.state === "OPEN" && result.row.reopenAt && (!blocked || result.row.reopenAt > blocked.until)) blocked = { until: result.row.reopenAt, scope: kind };
    }
    return { blocked, opened };
  }

  /** Neither (e.g. a short 429 retried inline): a held probe goes back, so the retry can take it again. */
  async released(): Promise<void> {
    if (this.reported) return;
    this.reported = true;
    // A probe that cannot be handed back expires with its lease.
    await this.safely("release", () => releaseProbes(this.db, this.target, this.probes));
  }
}

/** One notification per outage and organization: reopening after a failed probe is the same outage. */
export const OUTAGE_NOTIFICATION_WINDOW_MS = 6 * 60 * 60_000;

/**
 * Tells the people concerned that calls now wait (the banner says so in the app; this reaches the
 * bell and, for those who chose it, e-mail). A provider-wide outage concerns every organization
 * with a live account there; one account's, only its organization. When both open on one call, the
 * provider-wide notice covers it.
 */
async function notifyOutage(db: Db, target: CircuitTarget, opened: ScopeKind[]) {
  const providerWide = opened.includes("provider");
  const scopeKey = providerWide ? providerScopeKey(target.provider) : connectionScopeKey(target.connectionId);
  const account = providerWide ? null : await findConnection(db, target.organizationId, target.connectionId);
  const organizationIds = providerWide ? await organizationsConnectedTo(db, target.provider) : [target.organizationId];
  for (const organizationId of organizationIds) {
    await notify(db, {
      organizationId,
      kind: "connection.providerUnavailable",
      params: {
        subject: scopeKey,
        provider: target.provider,
        connectionId: providerWide ? "" : target.connectionId,
        // "none" selects the message without an account (the ICU select in notifications.kinds).
        account: providerWide ? "none" : (account?.accountName ?? account?.externalAccountId ?? "none"),
      },
      link: "/settings/connections",
      dedupe: { key: "subject", withinMs: OUTAGE_NOTIFICATION_WINDOW_MS },
    });
  }
}

async function releaseProbes(db: Db, target: CircuitTarget, probes: Set<string>) {
  const now = new Date();
  for (const { scope } of scopesOf(target)) {
    if (!probes.has(scope.scopeKey)) continue;
    await updateCircuitLocked(db, scope, (row) =>
      row && row.state === "HALF_OPEN" ? { row: { ...row, state: "OPEN", reopenAt: now, probeUntil: null } satisfies CircuitRow, result: null } : { row: null, result: null },
    );
  }
}

/**
 * May a call for this connection go out now? Blocked → the reopen time (nothing was sent). Else a
 * gate; when a breaker's window is over, this call claims its one half-open probe.
 */
export async function admitCall(db: Db, target: CircuitTarget, now = new Date()): Promise<{ blocked: Blocked } | { gate: CircuitGate }> {
  const scopes = scopesOf(target);
  const seen = await seenRows(db, target);
  const blocked = blockedBy(seen, target, now);
  if (blocked) return { blocked };
  const config = circuitConfig();
  const probes = new Set<string>();
  for (const { kind, scope } of scopes) {
    if (admission(seen.get(scope.scopeKey) ?? null, now).kind !== "probe") continue;
    // Under the row lock, the first caller turns OPEN into HALF_OPEN; everyone else sees the lease.
    const claimed = await updateCircuitLocked<Admission>(db, scope, (row) => {
      const a = admission(row, now);
      return { row: a.kind === "probe" && row ? claimProbe(row, now, config) : null, result: a };
    });
    if (claimed.kind === "blocked") {
      await releaseProbes(db, target, probes);
      return { blocked: { until: claimed.until, scope: kind } };
    }
    if (claimed.kind === "probe") {
      probes.add(scope.scopeKey);
      log.info({ scope: scope.scopeKey, kind }, "circuit half-open: this call is the probe");
    }
  }
  return { gate: new CircuitGate(db, target, seen, probes) };
}

export type OrganizationCircuit = {
  scope: ScopeKind;
  provider: Provider;
  connectionId: string | null;
  state: "OPEN" | "HALF_OPEN";
  /** When calls resume (the probe goes out); for a probe in flight, when its lease ends. */
  resumesAt: Date | null;
  lastErrorCode: string | null;
};

/** The breakers that are not closed and concern the organization (the banner's data). */
export async function organizationCircuits(db: DbOrTx, organizationId: string, providers: Provider[]): Promise<OrganizationCircuit[]> {
  if (providers.length === 0) return [];
  const rows = await listOpenCircuitsForOrganization(db, organizationId, providers);
  return rows.map((r) => ({
    scope: r.connectionId ? "connection" : "provider",
    provider: r.provider,
    connectionId: r.connectionId,
    state: r.state === "HALF_OPEN" ? "HALF_OPEN" : "OPEN",
    resumesAt: r.state === "HALF_OPEN" ? r.probeUntil : r.reopenAt,
    lastErrorCode: r.lastErrorCode,
  }));
}
