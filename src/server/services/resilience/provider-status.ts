import type { Provider } from "~/generated/prisma/enums";
import { listConnections } from "~/server/repositories/connections";
import { findOrganization } from "~/server/repositories/organizations";
import type { TenantCtx } from "../context";
import { organizationCircuits } from "./circuit-breaker";

export type ProviderStatus = {
  /** The organization's time zone: the banner shows the resume time in it. */
  timeZone: string;
  circuits: {
    scope: "provider" | "connection";
    provider: Provider;
    connectionId: string | null;
    accountName: string | null;
    state: "OPEN" | "HALF_OPEN";
    resumesAt: Date | null;
  }[];
};

/**
 * The open circuit breakers that affect this organization: provider-wide ones of the providers it
 * is connected to, and its own connections'. Another organization's connections never show.
 */
export async function providerStatus(ctx: TenantCtx): Promise<ProviderStatus> {
  const organizationId = ctx.tenant.organizationId;
  const [organization, connections] = await Promise.all([findOrganization(ctx.db, organizationId), listConnections(ctx.db, organizationId)]);
  const active = connections.filter((c) => c.status !== "DISCONNECTED");
  const names = new Map(active.map((c) => [c.id, c.accountName ?? c.externalAccountId]));
  const providers = [...new Set(active.map((c) => c.provider))];
  const circuits = await organizationCircuits(ctx.db, organizationId, providers);
  return {
    timeZone: organization?.timeZone ?? "America/Sao_Paulo",
    circuits: circuits
      .filter((c) => c.scope === "provider" || (c.connectionId !== null && names.has(c.connectionId)))
      .map((c) => ({
        scope: c.scope,
        provider: c.provider,
        connectionId: c.connectionId,
        accountName: c.connectionId ? (names.get(c.connectionId) ?? null) : null,
        state: c.state,
        resumesAt: c.resumesAt,
      })),
  };
}
