import type { DbOrTx } from "~/server/db";

export type AiOutcome = "ok" | "invalid_output" | "timeout" | "error";

/** One metered AI call (provider or local generator), always for one organization. */
export type AiUsageRecord = {
  organizationId: string;
  userId?: string | null;
  feature: string;
  /** "openai-compatible" for the configured LLM, "local" for the deterministic generator. */
  provider: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  costMicroUsd: number;
  credits: number;
  latencyMs: number;
  outcome: AiOutcome;
};

export async function recordAiUsage(db: DbOrTx, record: AiUsageRecord): Promise<void> {
  await db.aiUsage.create({ data: { ...record, userId: record.userId ?? null } });
}

/** Set-based metering for bulk runs (the action engine's local suggestions): one INSERT. */
export async function recordAiUsageMany(db: DbOrTx, records: AiUsageRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  const { count } = await db.aiUsage.createMany({ data: records.map((r) => ({ ...r, userId: r.userId ?? null })) });
  return count;
}

/** The organization's usage since `since` (credits drawn against the plan's aiCreditsPerMonth). */
export async function aiUsageSummary(db: DbOrTx, organizationId: string, since: Date) {
  const rows = await db.aiUsage.groupBy({
    by: ["provider", "outcome"],
    where: { organizationId, createdAt: { gte: since } },
    _count: { _all: true },
    _sum: { promptTokens: true, completionTokens: true, costMicroUsd: true, credits: true },
  });
  return rows.map((r) => ({
    provider: r.provider,
    outcome: r.outcome as AiOutcome,
    calls: r._count._all,
    promptTokens: r._sum.promptTokens ?? 0,
    completionTokens: r._sum.completionTokens ?? 0,
    costMicroUsd: r._sum.costMicroUsd ?? 0,
    credits: r._sum.credits ?? 0,
  }));
}
