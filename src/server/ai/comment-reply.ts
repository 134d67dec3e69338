/**
 * Replies to social comments written by the configured OpenAI-compatible LLM, for automations with
 * "use AI" on. The automation's template is the instruction; the comment is the input. Same rules
 * as listing copy (index.ts): one HTTP request per attempt, one retry told what was wrong, every
 * call metered into ai_usage (feature "comment_reply"), and never an exception for an AI failure —
 * the filled-in template is the answer then (metered as a local generation, no credits).
 */
import { generateText, type ModelMessage } from "ai";

import type { DbOrTx } from "~/server/db";
import { logger } from "~/server/lib/logger";
import { recordAiUsage } from "~/server/repositories/ai-usage";

import { aiProviderFromEnv, callWithOneCorrection, localUsage, providerCall, type AiAttempt, type AiLimitPolicy, type AiProviderConfig } from "./index";
import type { AiMeteringContext } from "./types";

export const COMMENT_REPLY_FEATURE = "comment_reply";

const NETWORK_NAME = { INSTAGRAM: "Instagram", TIKTOK: "TikTok", YOUTUBE: "YouTube" } as const;

export type CommentReplyRequest = {
  network: keyof typeof NETWORK_NAME;
  /** The automation's reply template, placeholders already filled in: what the reply should say. */
  instructions: string;
  comment: string;
  authorName: string;
  /** The network's comment length limit. */
  maxLength: number;
};

export type CommentReply = { text: string; generator: "ai" | "template"; model: string | null; note: string | null };

function systemPrompt(request: CommentReplyRequest): string {
  return [
    `Você responde comentários do ${NETWORK_NAME[request.network]} em nome de uma marca brasileira, em português do Brasil (ou no idioma do comentário).`,
    "Siga as instruções da marca abaixo: elas dizem o que a resposta deve conter. Não invente preços, prazos, links, telefones nem promessas que não estejam nelas.",
    `Responda em no máximo ${request.maxLength} caracteres, num tom cordial e curto, sem aspas em volta e sem assinatura.`,
    "Responda APENAS com o texto da resposta.",
  ].join("\n");
}

function userPrompt(request: CommentReplyRequest): string {
  return [`Instruções da marca: ${request.instructions}`, `Autor do comentário: ${request.authorName}`, `Comentário: ${request.comment}`].join("\n");
}

/** The model's text as a reply: trimmed, surrounding quotes removed. */
function clean(answer: string): string {
  return answer.trim().replace(/^["“'](.*)["”']$/s, "$1").trim();
}

async function attempt(config: AiProviderConfig, request: CommentReplyRequest, messages: ModelMessage[]): Promise<AiAttempt<string>> {
  const call = providerCall(config);
  try {
    const result = await generateText({ ...call.settings, system: systemPrompt(request), messages, temperature: 0.4 });
    const text = clean(result.text);
    if (!text) return { outcome: "invalid_output", problems: ["a resposta veio vazia"], answer: result.text, usage: result.usage };
    if (text.length > request.maxLength) {
      return { outcome: "invalid_output", problems: [`a resposta tem ${text.length} caracteres; o limite é ${request.maxLength}`], answer: result.text, usage: result.usage };
    }
    return { outcome: "ok", value: text, usage: result.usage };
  } catch (error) {
    return call.failure(error);
  }
}

/**
 * A reply to one comment. `fallback` (the filled-in template) is the answer when no provider is
 * configured or the provider fails. Call it outside transactions: a provider call can take
 * AI_TIMEOUT_MS twice.
 */
export async function generateCommentReply(
  db: DbOrTx,
  metering: Omit<AiMeteringContext, "feature">,
  request: CommentReplyRequest,
  fallback: string,
  options: { provider?: AiProviderConfig | null; onLimit?: AiLimitPolicy } = {},
): Promise<CommentReply> {
  const config = options.provider === undefined ? aiProviderFromEnv() : options.provider;
  const context = { ...metering, feature: COMMENT_REPLY_FEATURE };
  let note: string | null = null;
  if (config) {
    const result = await callWithOneCorrection(
      db,
      context,
      config,
      userPrompt(request),
      (messages) => attempt(config, request, messages),
      (problems) => `Corrija: ${problems.join("; ")}. Responda apenas com o texto.`,
      { onLimit: options.onLimit },
    );
    if (result.outcome === "ok") return { text: result.value, generator: "ai", model: config.model, note: null };
    const reason = result.outcome === "invalid_output" ? result.problems.join("; ") : result.reason;
    logger.warn({ organizationId: metering.organizationId, feature: COMMENT_REPLY_FEATURE, outcome: result.outcome, reason }, "ai: comment reply falls back to the template");
    note = result.outcome === "blocked" ? `${result.reason}; modelo de resposta usado` : `AI ${result.outcome}; template used`;
  }
  const started = performance.now();
  const text = fallback.slice(0, request.maxLength);
  await recordAiUsage(db, localUsage(context, performance.now() - started));
  return { text, generator: "template", model: null, note };
}
