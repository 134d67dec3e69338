/**
 * Text embeddings for semantic search: the configured OpenAI-compatible `/embeddings` endpoint
 * (AI_EMBEDDING_MODEL, through the AI SDK's `embedMany`), or the deterministic local embedding when
 * none is configured. Every call is metered into ai_usage (one row per batch). Vectors come back
 * L2-normalized, so a dot product is their cosine similarity. See docs/semantic-search.md.
 */
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { embedMany } from "ai";

import { env } from "~/env";
import { aiCallGate, planLimitError } from "~/server/billing/entitlements";
import type { DbOrTx } from "~/server/db";
import { AppError } from "~/server/lib/errors";
import { recordAiUsage } from "~/server/repositories/ai-usage";

import { l2Normalize, LOCAL_EMBEDDING_DIMS, LOCAL_EMBEDDING_MODEL, localEmbedding } from "./local-embedding";
import type { AiMeteringContext } from "./types";

export type EmbeddingProviderConfig = {
  baseURL: string;
  model: string;
  apiKey?: string;
  timeoutMs?: number;
  priceUsdPerMTok?: number;
};

/** The embedding provider env configures (AI_EMBEDDING_MODEL + AI_EMBEDDING_BASE_URL or AI_BASE_URL), or null = local. */
export function embeddingProviderFromEnv(): EmbeddingProviderConfig | null {
  const baseURL = env.AI_EMBEDDING_BASE_URL ?? env.AI_BASE_URL;
  if (!env.AI_EMBEDDING_MODEL || !baseURL) return null;
  return {
    baseURL,
    model: env.AI_EMBEDDING_MODEL,
    apiKey: env.AI_API_KEY,
    timeoutMs: env.AI_TIMEOUT_MS,
    priceUsdPerMTok: env.AI_EMBEDDING_PRICE_USD_PER_MTOK,
  };
}

/** The `model` column of the embeddings a configuration writes and searches. */
export function embeddingModelName(config: EmbeddingProviderConfig | null): string {
  return config ? config.model : LOCAL_EMBEDDING_MODEL;
}

export type EmbeddingBatch = { model: string; dims: number; vectors: number[][] };

/** Inputs per provider request: OpenAI accepts 2048, smaller servers (Ollama, vLLM) less. */
const PROVIDER_BATCH = 64;

/**
 * Embeds `texts` in order. With a provider: one metered HTTP request per 64 texts, no SDK retries
 * (every request is metered; the background function retries the whole batch). A provider failure
 * or an exhausted AI allowance throws AppError (SERVICE_UNAVAILABLE / PAYMENT_REQUIRED): vectors of
 * another model cannot stand in, they would not be comparable with the stored ones.
 */
export async function embedTexts(
  db: DbOrTx,
  metering: AiMeteringContext,
  texts: string[],
  options: { provider?: EmbeddingProviderConfig | null } = {},
): Promise<EmbeddingBatch> {
  const config = options.provider === undefined ? embeddingProviderFromEnv() : options.provider;
  if (texts.length === 0) return { model: embeddingModelName(config), dims: config ? 0 : LOCAL_EMBEDDING_DIMS, vectors: [] };

  if (!config) {
    const started = performance.now();
    const vectors = texts.map((text) => localEmbedding(text));
    await recordAiUsage(db, {
      organizationId: metering.organizationId,
      userId: metering.userId ?? null,
      feature: metering.feature,
      provider: "local",
      model: LOCAL_EMBEDDING_MODEL,
      promptTokens: 0,
      completionTokens: 0,
      costMicroUsd: 0,
      credits: 0,
      latencyMs: Math.round(performance.now() - started),
      outcome: "ok",
    });
    return { model: LOCAL_EMBEDDING_MODEL, dims: LOCAL_EMBEDDING_DIMS, vectors };
  }

  const provider = createOpenAICompatible({ name: "openai-compatible", baseURL: config.baseURL, apiKey: config.apiKey });
  const model = provider.embeddingModel(config.model);
  const vectors: number[][] = [];
  for (let start = 0; start < texts.length; start += PROVIDER_BATCH) {
    const gate = await aiCallGate(db, metering.organizationId);
    if (!gate.allowed) {
      if (gate.blockedBy === "credits") throw planLimitError(gate.check);
      throw new AppError("FORBIDDEN", "aiDisabled", "AI is turned off for this organization");
    }
    const values = texts.slice(start, start + PROVIDER_BATCH);
    const started = performance.now();
    const abortSignal = AbortSignal.timeout(config.timeoutMs ?? env.AI_TIMEOUT_MS);
    let tokens = 0;
    let outcome: "ok" | "timeout" | "error" = "ok";
    try {
      const result = await embedMany({ model, values, maxRetries: 0, abortSignal });
      tokens = result.usage?.tokens ?? 0;
      vectors.push(...result.embeddings.map((vector) => l2Normalize(vector)));
    } catch {
      outcome = abortSignal.aborted ? "timeout" : "error";
    } finally {
      await recordAiUsage(db, {
        organizationId: metering.organizationId,
        userId: metering.userId ?? null,
        feature: metering.feature,
        provider: "openai-compatible",
        model: config.model,
        promptTokens: tokens,
        completionTokens: 0,
        costMicroUsd: Math.round(tokens * (config.priceUsdPerMTok ?? 0)),
        credits: tokens > 0 ? Math.ceil(tokens / 1000) : 0,
        latencyMs: Math.round(performance.now() - started),
        outcome,
      });
    }
    if (outcome !== "ok") throw new AppError("SERVICE_UNAVAILABLE", "embeddingProviderUnavailable", `The embedding provider did not answer (${outcome})`);
  }
  return { model: config.model, dims: vectors[0]?.length ?? 0, vectors };
}
