/**
 * Listing copy (titles, descriptions) written by any OpenAI-compatible LLM through the Vercel AI
 * SDK, validated with zod and retried once, with the deterministic local generator as the answer
 * whenever no provider is configured or the provider fails. Callers never see an AI failure as an
 * exception: they get a copy labelled "ai" or "local". Every call is metered into ai_usage.
 * See docs/ai.md.
 */
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText, NoObjectGeneratedError, Output, type LanguageModelUsage, type ModelMessage } from "ai";

import { env } from "~/env";
import { aiCallGate, planLimitError } from "~/server/billing/entitlements";
import type { DbOrTx } from "~/server/db";
import { logger } from "~/server/lib/logger";
import { recordAiUsage, type AiOutcome, type AiUsageRecord } from "~/server/repositories/ai-usage";

import { generateLocalCopy, LOCAL_MODEL } from "./local";
import { retryPrompt, systemPrompt, userPrompt } from "./prompt";
import { copySchema, modelAnswerSchema } from "./rules";
import type { AiMeteringContext, ListingCopy, ListingCopyRequest } from "./types";

export type * from "./types";
export { generateLocalCopy, LOCAL_MODEL } from "./local";
export { copyProblems } from "./rules";

// The SDK prints a warning per call when a server gets `json_object` instead of a JSON schema;
// that is our documented choice (docs/ai.md), not news for the logs.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

/** Provider name in ai_usage for LLM calls. */
export const AI_PROVIDER = "openai-compatible";
/** Provider name in ai_usage for the local generator. */
export const LOCAL_PROVIDER = "local";

export type AiProviderConfig = {
  /** Up to and including the API version, e.g. https://api.openai.com/v1 or http://localhost:11434/v1. */
  baseURL: string;
  model: string;
  apiKey?: string;
  timeoutMs?: number;
  /** List prices for the cost estimate (USD per million tokens). */
  priceInputUsdPerMTok?: number;
  priceOutputUsdPerMTok?: number;
};

/** Provider calls the action engine may make per generation run (env AI_MAX_SUGGESTIONS_PER_RUN). */
export const AI_MAX_SUGGESTIONS_PER_RUN: number = env.AI_MAX_SUGGESTIONS_PER_RUN;

/** A provider is configured when both AI_BASE_URL and AI_MODEL are set. */
export function isAiConfigured(): boolean {
  return !!(env.AI_BASE_URL && env.AI_MODEL);
}

/** The provider env configures (AI_BASE_URL, AI_MODEL, …), or null. */
export function aiProviderFromEnv(): AiProviderConfig | null {
  if (!env.AI_BASE_URL || !env.AI_MODEL) return null;
  return {
    baseURL: env.AI_BASE_URL,
    model: env.AI_MODEL,
    apiKey: env.AI_API_KEY,
    timeoutMs: env.AI_TIMEOUT_MS,
    priceInputUsdPerMTok: env.AI_PRICE_INPUT_USD_PER_MTOK,
    priceOutputUsdPerMTok: env.AI_PRICE_OUTPUT_USD_PER_MTOK,
  };
}

/**
 * Credits drawn against the plan's monthly AI allowance: 1 per started 1 000 tokens of a provider
 * call (prompt + completion), so any call that consumed tokens costs at least 1. Calls that
 * consumed none (timeout or HTTP error before an answer) and the local generator cost 0.
 */
export function creditsFor(totalTokens: number): number {
  return totalTokens > 0 ? Math.ceil(totalTokens / 1000) : 0;
}

/** Estimated cost in micro-USD: USD per million tokens is exactly micro-USD per token. */
export function costMicroUsdFor(promptTokens: number, completionTokens: number, config: AiProviderConfig): number {
  return Math.round(promptTokens * (config.priceInputUsdPerMTok ?? 0) + completionTokens * (config.priceOutputUsdPerMTok ?? 0));
}

/** One provider call: its value, or why it has none (an invalid answer can be corrected once). */
export type AiAttempt<T> =
  | { outcome: "ok"; value: T; usage: LanguageModelUsage | undefined }
  | { outcome: "invalid_output"; problems: string[]; usage: LanguageModelUsage | undefined; answer: string }
  | { outcome: "timeout" | "error"; usage: undefined; reason: string }
  // No provider call was made: the month's credits are used up or `ai.llm` is off for the organization.
  | { outcome: "blocked"; usage: undefined; reason: string };

export type AiFailure = Exclude<AiAttempt<unknown>, { outcome: "ok" | "blocked" }>;

/** Why the local generator answered instead of the LLM (stored in the suggestion's notes). */
export const AI_CREDITS_EXHAUSTED_NOTE = "créditos de IA do mês esgotados";
export const AI_DISABLED_NOTE = "IA desativada para esta organização";

/**
 * When the month's AI credits are used up: background work (action generation, auto-replies)
 * falls back to the local generator with a note; a person's request (e.g. regenerating a
 * suggestion) is refused with `planLimitReached` (aiCreditsPerMonth) — a hard stop.
 */
export type AiLimitPolicy = "fallback" | "refuse";

/**
 * The model settings of one provider call under our deadline, and what a throw from it means. One
 * HTTP request per attempt (maxRetries 0): the SDK's own retries would hide calls (and tokens) from
 * metering, and a failing provider should hand over to the fallback quickly.
 */
export function providerCall(config: AiProviderConfig) {
  const provider = createOpenAICompatible({ name: AI_PROVIDER, baseURL: config.baseURL, apiKey: config.apiKey });
  const timeoutMs = config.timeoutMs ?? env.AI_TIMEOUT_MS;
  const abortSignal = AbortSignal.timeout(timeoutMs);
  return {
    settings: { model: provider.chatModel(config.model), maxRetries: 0, abortSignal },
    /** A timeout when our deadline aborted the call, else an error (HTTP, network). */
    failure(error: unknown): AiFailure {
      if (abortSignal.aborted) return { outcome: "timeout", usage: undefined, reason: `no answer within ${timeoutMs} ms` };
      return { outcome: "error", usage: undefined, reason: error instanceof Error ? error.message.slice(0, 200) : "unknown error" };
    },
  };
}

/**
 * Up to two provider calls, each metered: the second only after an invalid answer, with that
 * answer and `correction(problems)` added to the conversation. The value, or the last failure.
 */
export async function callWithOneCorrection<T>(
  db: DbOrTx,
  metering: AiMeteringContext,
  config: AiProviderConfig,
  prompt: string,
  attempt: (messages: ModelMessage[]) => Promise<AiAttempt<T>>,
  correction: (problems: string[]) => string,
  options: { onLimit?: AiLimitPolicy } = {},
): Promise<AiAttempt<T>> {
  const messages: ModelMessage[] = [{ role: "user", content: prompt }];
  for (let call = 1; ; call++) {
    // Before every provider call, the correction included. A call in flight is metered when it
    // answers, so the month may overshoot by that one call's credits — never by another call.
    const gate = await aiCallGate(db, metering.organizationId);
    if (!gate.allowed) {
      if (gate.blockedBy === "credits" && options.onLimit === "refuse") throw planLimitError(gate.check);
      return { outcome: "blocked", usage: undefined, reason: gate.blockedBy === "credits" ? AI_CREDITS_EXHAUSTED_NOTE : AI_DISABLED_NOTE };
    }
    const started = performance.now();
    const result = await attempt(messages);
    if (result.outcome === "blocked") return result;
    await meter(db, metering, config, result.outcome, result.usage, performance.now() - started);
    if (result.outcome !== "invalid_output" || call === 2) return result;
    messages.push({ role: "assistant", content: result.answer }, { role: "user", content: correction(result.problems) });
  }
}

async function attempt(config: AiProviderConfig, request: ListingCopyRequest, messages: ModelMessage[]): Promise<AiAttempt<ListingCopy>> {
  const call = providerCall(config);
  try {
    const result = await generateText({
      ...call.settings,
      system: systemPrompt(request),
      messages,
      output: Output.object({ schema: modelAnswerSchema, name: "listing_copy" }),
      temperature: 0.3,
    });
    const answer = JSON.stringify(result.output);
    const parsed = copySchema(request).safeParse(result.output);
    if (!parsed.success) return { outcome: "invalid_output", problems: parsed.error.issues.map((i) => i.message), usage: result.usage, answer };
    const copy: ListingCopy = { text: parsed.data.text, generator: "ai", model: config.model, notes: parsed.data.notes ?? [] };
    return { outcome: "ok", value: copy, usage: result.usage };
  } catch (error) {
    if (!call.settings.abortSignal.aborted && NoObjectGeneratedError.isInstance(error)) {
      const problems = ['a resposta não é um objeto JSON no formato {"text": "...", "notes": [...]}'];
      return { outcome: "invalid_output", problems, usage: error.usage, answer: error.text ?? "" };
    }
    return call.failure(error);
  }
}

/**
 * A new title or description for a listing. With a provider (options.provider, else env), the LLM
 * writes it: one call, and one retry told what was wrong when the answer breaks a rule. When the
 * provider fails (second invalid answer, timeout, HTTP error) or none is configured, the local
 * generator answers, with the reason in `notes`. Never throws for an AI failure; database errors
 * while metering do propagate. Call it outside long transactions: a provider call can take
 * AI_TIMEOUT_MS twice.
 */
export async function generateListingCopy(
  db: DbOrTx,
  metering: AiMeteringContext,
  request: ListingCopyRequest,
  options: { provider?: AiProviderConfig | null; onLimit?: AiLimitPolicy } = {},
): Promise<ListingCopy> {
  const config = options.provider === undefined ? aiProviderFromEnv() : options.provider;
  const fallbackNotes: string[] = [];

  if (config) {
    const result = await callWithOneCorrection(
      db,
      metering,
      config,
      userPrompt(request),
      (messages) => attempt(config, request, messages),
      (problems) => retryPrompt(problems, request.maxLength),
      { onLimit: options.onLimit },
    );
    if (result.outcome === "ok") return result.value;
    const reason = result.outcome === "invalid_output" ? `invalid output twice: ${result.problems.join("; ")}` : result.reason;
    logger.warn({ organizationId: metering.organizationId, feature: metering.feature, outcome: result.outcome, reason }, "ai: falling back to the local generator");
    fallbackNotes.push(
      result.outcome === "blocked" ? `${result.reason}; gerador local usado` : `AI ${result.outcome === "invalid_output" ? "invalid output" : result.outcome}; local generator used`,
    );
  }

  const started = performance.now();
  const copy = generateLocalCopy(request);
  await recordAiUsage(db, localUsage(metering, performance.now() - started));
  return { ...copy, notes: [...fallbackNotes, ...copy.notes] };
}

/** The metering row of one local-generator suggestion: no tokens, no cost, no credits. */
export function localUsage(metering: AiMeteringContext, latencyMs: number): AiUsageRecord {
  return {
    ...meteringFields(metering),
    provider: LOCAL_PROVIDER,
    model: LOCAL_MODEL,
    promptTokens: 0,
    completionTokens: 0,
    costMicroUsd: 0,
    credits: 0,
    latencyMs: Math.round(latencyMs),
    outcome: "ok",
  };
}

function meteringFields(metering: AiMeteringContext) {
  return { organizationId: metering.organizationId, userId: metering.userId ?? null, feature: metering.feature };
}

async function meter(
  db: DbOrTx,
  metering: AiMeteringContext,
  config: AiProviderConfig,
  outcome: AiOutcome,
  usage: LanguageModelUsage | undefined,
  latencyMs: number,
) {
  const promptTokens = usage?.inputTokens ?? 0;
  const completionTokens = usage?.outputTokens ?? 0;
  await recordAiUsage(db, {
    ...meteringFields(metering),
    provider: AI_PROVIDER,
    model: config.model,
    promptTokens,
    completionTokens,
    costMicroUsd: costMicroUsdFor(promptTokens, completionTokens, config),
    credits: creditsFor(promptTokens + completionTokens),
    latencyMs: Math.round(latencyMs),
    outcome,
  });
}
