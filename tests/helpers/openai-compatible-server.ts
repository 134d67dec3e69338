import { localEmbedding } from "~/server/ai/local-embedding";

import { serveFetch, type ServedFetch } from "./serve-fetch";

/**
 * A tiny OpenAI-compatible server for the AI layer's tests, over real HTTP: POST
 * /v1/chat/completions (non-streaming) answers from a scripted queue, in order, and records every
 * request body it received. Anything not scripted answers 500, so a test that makes an unexpected
 * call fails loudly. POST /v1/embeddings answers every input with a 64-dimension local embedding
 * (deterministic, so rankings are predictable) unless `failEmbeddings` is set, and records the inputs.
 */
export type ScriptedReply =
  /** A completion whose message content is this JSON (or raw string). */
  | { kind: "content"; content: unknown; promptTokens?: number; completionTokens?: number }
  /** Answers only after `ms` (past the client's timeout); the content is valid by default. */
  | { kind: "delay"; ms: number; content?: unknown }
  | { kind: "status"; status: number; body?: unknown };

type ChatCompletionBody = {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: unknown;
  temperature?: number;
};

export type ReceivedRequest = ChatCompletionBody & { authorization: string | null };

export type OpenAiCompatibleServer = ServedFetch & {
  /** The base URL to configure (…/v1). */
  baseURL: string;
  /** Queues replies for the next calls. */
  script(...replies: ScriptedReply[]): void;
  /** Forgets queued replies and received requests (between tests). */
  reset(): void;
  readonly received: ReceivedRequest[];
  /** Every input of every /embeddings call, in order. */
  readonly embeddingInputs: string[];
  /** While true, /embeddings answers 500. */
  failEmbeddings: boolean;
};

export async function startOpenAiCompatibleServer(): Promise<OpenAiCompatibleServer> {
  const queue: ScriptedReply[] = [];
  const received: ReceivedRequest[] = [];
  const embeddingInputs: string[] = [];
  const state = { failEmbeddings: false };
  let counter = 0;

  const completion = (model: string, content: unknown, promptTokens = 120, completionTokens = 30) =>
    Response.json({
      id: `chatcmpl-test-${++counter}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: typeof content === "string" ? content : JSON.stringify(content) },
          finish_reason: "stop",
        },
      ],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    });

  const served = await serveFetch(async (request) => {
    const url = new URL(request.url);
    if (request.method === "POST" && url.pathname === "/v1/embeddings") {
      if (state.failEmbeddings) return Response.json({ error: { message: "scripted 500", type: "server_error" } }, { status: 500 });
      const body = (await request.json()) as { model: string; input: string | string[] };
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      embeddingInputs.push(...inputs);
      const tokens = inputs.reduce((sum, text) => sum + text.split(/\s+/).filter(Boolean).length, 0);
      return Response.json({
        object: "list",
        model: body.model,
        data: inputs.map((text, index) => ({ object: "embedding", index, embedding: localEmbedding(text, 64) })),
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      });
    }
    if (request.method !== "POST" || url.pathname !== "/v1/chat/completions") {
      return Response.json({ error: { message: "not found", type: "invalid_request_error" } }, { status: 404 });
    }
    const body = (await request.json()) as ChatCompletionBody;
    received.push({ ...body, authorization: request.headers.get("authorization") });
    const reply = queue.shift();
    if (!reply) return Response.json({ error: { message: "no scripted reply", type: "server_error" } }, { status: 500 });
    switch (reply.kind) {
      case "content":
        return completion(body.model, reply.content, reply.promptTokens, reply.completionTokens);
      case "delay":
        // Stops waiting when the client hangs up (serveFetch aborts the request's signal).
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, reply.ms);
          request.signal.addEventListener("abort", () => {
            clearTimeout(timer);
            resolve();
          });
        });
        return completion(body.model, reply.content ?? { text: "late answer", notes: [] });
      case "status":
        return Response.json(reply.body ?? { error: { message: `scripted ${reply.status}`, type: "server_error" } }, { status: reply.status });
    }
  });

  return {
    ...served,
    baseURL: `${served.url}/v1`,
    script: (...replies) => queue.push(...replies),
    reset: () => {
      queue.length = 0;
      received.length = 0;
      embeddingInputs.length = 0;
      state.failEmbeddings = false;
    },
    received,
    embeddingInputs,
    get failEmbeddings() {
      return state.failEmbeddings;
    },
    set failEmbeddings(value: boolean) {
      state.failEmbeddings = value;
    },
  };
}
