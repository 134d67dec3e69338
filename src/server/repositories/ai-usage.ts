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

/**
 * Set-based metering for bulk runs (the action engine's local suggestions): one INSERT over
 * unnest'ed columns (createMany binds 12 parameters per row; at a few thousand rows that took
 * ~0.8 ms per row, measured in bench/actions.bench.ts).
 */
export async function recordAiUsageMany(db: DbOrTx, records: AiUsageRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  const column = <T,>(pick: (r: AiUsageRecord) => T) => records.map(pick);
  return db.$executeRaw`
    INSERT INTO ai_usage (id, organization_id, user_id, feature, provider, model, prompt_tokens, completion_tokens,
                          cost_micro_usd, credits, latency_ms, outcome, created_at)
    SELECT gen_random_uuid()::text, t.organization_id, t.user_id, t.feature, t.provider, t.model, t.prompt_tokens,
           t.completion_tokens, t.cost_micro_usd, t.credits, t.latency_ms, t.outcome, (now() AT TIME ZONE 'UTC')
    FROM unnest(
      ${column((r) => r.organizationId)}::text[], ${column((r) => r.userId ?? null)}::text[], ${column((r) => r.feature)}::text[],
      ${column((r) => r.provider)}::text[], ${column((r) => r.model)}::text[], ${column((r) => r.promptTokens)}::int[],
      ${column((r) => r.completionTokens)}::int[], ${column((r) => r.costMicroUsd)}::int[], ${column((r) => r.credits)}::int[],
      ${column((r) => r.latencyMs)}::int[], ${column((r) => r.outcome)}::text[]
    ) AS t(organization_id, user_id, feature, provider, model, prompt_tokens, completion_tokens, cost_micro_usd, credits,
           latency_ms, outcome)`;
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
