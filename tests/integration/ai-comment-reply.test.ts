/**
 * AI-written comment replies against a real OpenAI-compatible HTTP server and real PostgreSQL: the
 * one correction after an invalid answer, and the template when the second answer is invalid too
 * (the engagement tests cover the plain answer and the HTTP error).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import type { AiProviderConfig } from "~/server/ai";
import { generateCommentReply, type CommentReplyRequest } from "~/server/ai/comment-reply";

import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from "../helpers/openai-compatible-server";
import { createOrgFixture, db, type OrgFixture } from "./helpers/fixtures";

const REQUEST: CommentReplyRequest = { network: "INSTAGRAM", instructions: "Diga que temos azul.", comment: "Tem azul?", authorName: "lia", maxLength: 40 };
const TEMPLATE = "Temos azul, lia! Confira os destaques do perfil.";

let server: OpenAiCompatibleServer;
let org: OrgFixture;
let provider: AiProviderConfig;

beforeAll(async () => {
  server = await startOpenAiCompatibleServer();
  org = await createOrgFixture("ai-reply");
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  server.reset();
  await db.aiUsage.deleteMany({ where: { organizationId: org.organizationId } });
  provider = { baseURL: server.baseURL, model: "test-model", timeoutMs: 2_000 };
});

const usageRows = () => db.aiUsage.findMany({ where: { organizationId: org.organizationId }, orderBy: { createdAt: "asc" } });

describe("generateCommentReply", () => {
  it("asks once more, saying what was wrong, and uses the corrected reply (quotes removed)", async () => {
    server.script({ kind: "content", content: "x".repeat(41) }, { kind: "content", content: '"Temos azul, Lia!"' });

    const reply = await generateCommentReply(db, { organizationId: org.organizationId }, REQUEST, TEMPLATE, { provider });

    expect(reply).toEqual({ text: "Temos azul, Lia!", generator: "ai", model: "test-model", note: null });
    const retry = server.received[1]!.messages;
    expect(retry.find((m) => m.role === "assistant")!.content).toBe("x".repeat(41));
    expect(retry.at(-1)!.content).toBe("Corrija: a resposta tem 41 caracteres; o limite é 40. Responda apenas com o texto.");
    expect((await usageRows()).map((r) => [r.feature, r.provider, r.outcome])).toEqual([
      ["comment_reply", "openai-compatible", "invalid_output"],
      ["comment_reply", "openai-compatible", "ok"],
    ]);
  });

  it("answers with the template, cut to the limit, after a second invalid answer; all three calls metered", async () => {
    server.script({ kind: "content", content: "   " }, { kind: "content", content: "" });

    const reply = await generateCommentReply(db, { organizationId: org.organizationId }, REQUEST, TEMPLATE, { provider });

    expect(reply).toEqual({ text: TEMPLATE.slice(0, 40), generator: "template", model: null, note: "AI invalid_output; template used" });
    expect(server.received).toHaveLength(2);
    expect(server.received[1]!.messages.at(-1)!.content).toBe("Corrija: a resposta veio vazia. Responda apenas com o texto.");
    expect((await usageRows()).map((r) => [r.provider, r.outcome, r.credits])).toEqual([
      ["openai-compatible", "invalid_output", 1],
      ["openai-compatible", "invalid_output", 1],
      ["local", "ok", 0],
    ]);
  });
});
