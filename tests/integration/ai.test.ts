/**
 * The AI layer against a real OpenAI-compatible HTTP server (tests/helpers/openai-compatible-server)
 * and real PostgreSQL: valid answers, invalid answers and the retry, timeouts, HTTP errors, the
 * local fallback, and the ai_usage row of every call.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { generateListingCopy, type AiProviderConfig, type ListingCopyRequest, type ListingFacts } from "~/server/ai";
import { aiUsageSummary, recordAiUsageMany } from "~/server/repositories/ai-usage";

import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from "../helpers/openai-compatible-server";
import { createOrgFixture, db, type OrgFixture } from "./helpers/fixtures";

const FACTS: ListingFacts = {
  provider: "MERCADOLIVRE",
  title: "Fone JBL",
  categoryId: "MLB196208",
  categoryName: "Fones de Ouvido",
  description: "Fone JBL Tune 510BT. Produto novo, com nota fiscal e garantia de 90 dias.",
  attributes: [
    { id: "BRAND", name: "Marca", value: "JBL" },
    { id: "MODEL", name: "Modelo", value: "Tune 510BT" },
    { id: "CONNECTIVITY", name: "Conectividade", value: "Bluetooth 5.3" },
    { id: "COLOR", name: "Cor", value: "Preto" },
    { id: "GTIN", name: "Código universal de produto", value: null },
  ],
  gtin: null,
  priceCents: 24990,
  freeShipping: true,
};
const TITLE: ListingCopyRequest = { kind: "title", facts: FACTS, maxLength: 60 };
const GOOD_TITLE = "Fone de Ouvido Bluetooth JBL Tune 510BT Preto";

let server: OpenAiCompatibleServer;
let org: OrgFixture;
let provider: AiProviderConfig;

beforeAll(async () => {
  server = await startOpenAiCompatibleServer();
  org = await createOrgFixture("ai");
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  server.reset();
  await db.aiUsage.deleteMany({ where: { organizationId: org.organizationId } });
  provider = {
    baseURL: server.baseURL,
    model: "test-model-7b",
    apiKey: "sk-test-key",
    timeoutMs: 2_000,
    priceInputUsdPerMTok: 0.5,
    priceOutputUsdPerMTok: 1.5,
  };
});

const metering = () => ({ organizationId: org.organizationId, userId: org.users.OPERATOR.userId, feature: "actions.title" });
const usageRows = () => db.aiUsage.findMany({ where: { organizationId: org.organizationId }, orderBy: { createdAt: "asc" } });

describe("generateListingCopy with a provider", () => {
  it("returns the model's copy and meters the call: tokens, cost, credits, latency", async () => {
    server.script({ kind: "content", content: { text: GOOD_TITLE, notes: ["added model"] }, promptTokens: 1200, completionTokens: 40 });

    const copy = await generateListingCopy(db, metering(), TITLE, { provider });

    expect(copy).toEqual({ text: GOOD_TITLE, generator: "ai", model: "test-model-7b", notes: ["added model"] });
    const rows = await usageRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      organizationId: org.organizationId,
      userId: org.users.OPERATOR.userId,
      feature: "actions.title",
      provider: "openai-compatible",
      model: "test-model-7b",
      promptTokens: 1200,
      completionTokens: 40,
      // 1200 × 0.5 + 40 × 1.5 micro-USD
      costMicroUsd: 660,
      // 1240 tokens → 2 started thousands
      credits: 2,
      outcome: "ok",
    });
    expect(rows[0]!.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("sends the listing's facts, the hard limit and the key to the server", async () => {
    server.script({ kind: "content", content: { text: GOOD_TITLE } });
    await generateListingCopy(db, metering(), TITLE, { provider });

    expect(server.received).toHaveLength(1);
    const request = server.received[0]!;
    expect(request.model).toBe("test-model-7b");
    expect(request.authorization).toBe("Bearer sk-test-key");
    expect(request.response_format).toEqual({ type: "json_object" });
    const system = request.messages.find((m) => m.role === "system")!.content;
    const user = request.messages.find((m) => m.role === "user")!.content;
    expect(system).toContain("no máximo 60 caracteres");
    expect(system).toMatch(/promoção/);
    expect(user).toContain("Título atual: Fone JBL");
    expect(user).toContain("- Modelo: Tune 510BT");
    expect(user).toContain("- Conectividade: Bluetooth 5.3");
    expect(user).toContain("Limite de caracteres: 60");
    expect(user).toContain("garantia de 90 dias");
  });

  it("retries once, telling the model what was wrong, and uses the second answer", async () => {
    const tooLong = `${GOOD_TITLE} Com Microfone Integrado e Cabo Removível Extra`;
    server.script({ kind: "content", content: { text: tooLong } }, { kind: "content", content: { text: GOOD_TITLE, notes: [] } });

    const copy = await generateListingCopy(db, metering(), TITLE, { provider });

    expect(copy.generator).toBe("ai");
    expect(copy.text).toBe(GOOD_TITLE);
    expect(server.received).toHaveLength(2);
    const retry = server.received[1]!.messages;
    expect(retry.find((m) => m.role === "assistant")!.content).toContain(tooLong);
    expect(retry.at(-1)!.content).toContain("passa de 60 caracteres");
    const rows = await usageRows();
    expect(rows.map((r) => r.outcome)).toEqual(["invalid_output", "ok"]);
    expect(rows.every((r) => r.provider === "openai-compatible" && r.promptTokens > 0 && r.credits >= 1)).toBe(true);
  });

  it("treats an answer that is not the JSON asked for as invalid and retries", async () => {
    server.script({ kind: "content", content: "Claro! Aqui está o título: Fone JBL Tune 510BT" }, { kind: "content", content: { text: GOOD_TITLE } });
    const copy = await generateListingCopy(db, metering(), TITLE, { provider });
    expect(copy.generator).toBe("ai");
    expect(server.received[1]!.messages.at(-1)!.content).toContain("objeto JSON");
    expect((await usageRows()).map((r) => r.outcome)).toEqual(["invalid_output", "ok"]);
  });

  it("falls back to the local generator after a second invalid answer and records both", async () => {
    server.script(
      { kind: "content", content: { text: "Fone JBL Tune 510BT PROMOÇÃO Frete Grátis" } },
      // An invented spec: "40" is nowhere in the facts.
      { kind: "content", content: { text: "Fone JBL Tune 510BT Bateria 40 Horas" } },
    );

    const copy = await generateListingCopy(db, metering(), TITLE, { provider });

    expect(copy.generator).toBe("local");
    expect(copy.model).toBe("local-templates-v1");
    expect(copy.text).toBe("Fone JBL Tune 510BT Bluetooth 5.3 Preto");
    expect(copy.notes[0]).toBe("AI invalid output; local generator used");
    expect(server.received[1]!.messages.at(-1)!.content).toMatch(/palavra proibida.*promo/);
    const rows = await usageRows();
    expect(rows.map((r) => [r.provider, r.outcome])).toEqual([
      ["openai-compatible", "invalid_output"],
      ["openai-compatible", "invalid_output"],
      ["local", "ok"],
    ]);
    expect(rows[2]).toMatchObject({ model: "local-templates-v1", promptTokens: 0, completionTokens: 0, costMicroUsd: 0, credits: 0 });
  });

  it("rejects a copy identical to the current title", async () => {
    server.script({ kind: "content", content: { text: "Fone JBL" } }, { kind: "content", content: { text: GOOD_TITLE } });
    const copy = await generateListingCopy(db, metering(), TITLE, { provider });
    expect(copy.text).toBe(GOOD_TITLE);
    expect(server.received[1]!.messages.at(-1)!.content).toContain("idêntico");
  });

  it("falls back on a timeout without waiting for the answer, metered as timeout", async () => {
    server.script({ kind: "delay", ms: 10_000, content: { text: GOOD_TITLE } });

    const copy = await generateListingCopy(db, metering(), TITLE, { provider: { ...provider, timeoutMs: 300 } });

    expect(copy.generator).toBe("local");
    expect(copy.notes[0]).toBe("AI timeout; local generator used");
    expect(server.received).toHaveLength(1);
    const rows = await usageRows();
    expect(rows.map((r) => [r.provider, r.outcome])).toEqual([
      ["openai-compatible", "timeout"],
      ["local", "ok"],
    ]);
    expect(rows[0]).toMatchObject({ promptTokens: 0, completionTokens: 0, costMicroUsd: 0, credits: 0 });
  });

  it("falls back on an HTTP error without retrying it, metered as error", async () => {
    server.script({ kind: "status", status: 500 }, { kind: "content", content: { text: GOOD_TITLE } });

    const copy = await generateListingCopy(db, metering(), TITLE, { provider });

    expect(copy.generator).toBe("local");
    expect(copy.notes[0]).toBe("AI error; local generator used");
    expect(server.received).toHaveLength(1);
    expect((await usageRows()).map((r) => [r.provider, r.outcome])).toEqual([
      ["openai-compatible", "error"],
      ["local", "ok"],
    ]);
  });

  it("writes descriptions too, within their limit", async () => {
    const description = "Fone de ouvido JBL Tune 510BT.\n\nCaracterísticas\n- Conectividade: Bluetooth 5.3\n- Cor: Preto";
    server.script({ kind: "content", content: { text: description } });
    const copy = await generateListingCopy(db, { ...metering(), feature: "actions.description" }, { kind: "description", facts: FACTS, maxLength: 5000 }, { provider });
    expect(copy).toMatchObject({ text: description, generator: "ai" });
    expect(server.received[0]!.messages.find((m) => m.role === "system")!.content).toContain("DESCRIÇÃO");
  });
});

describe("generateListingCopy without a provider", () => {
  it("answers with the local generator and meters it as a free local call", async () => {
    const copy = await generateListingCopy(db, metering(), TITLE, { provider: null });
    expect(copy).toMatchObject({ generator: "local", text: "Fone JBL Tune 510BT Bluetooth 5.3 Preto" });
    expect(server.received).toHaveLength(0);
    const summary = await aiUsageSummary(db, org.organizationId, new Date(Date.now() - 60_000));
    expect(summary).toEqual([{ provider: "local", outcome: "ok", calls: 1, promptTokens: 0, completionTokens: 0, costMicroUsd: 0, credits: 0 }]);
  });

  it("meters bulk local suggestions in one insert, per organization", async () => {
    const other = await createOrgFixture("ai-other");
    const row = { userId: null, feature: "actions.generate", provider: "local", model: "local-templates-v1", promptTokens: 0, completionTokens: 0, costMicroUsd: 0, credits: 0, latencyMs: 0, outcome: "ok" as const };
    const inserted = await recordAiUsageMany(db, [
      ...Array.from({ length: 3 }, () => ({ ...row, organizationId: org.organizationId })),
      { ...row, organizationId: other.organizationId },
    ]);
    expect(inserted).toBe(4);
    const since = new Date(Date.now() - 60_000);
    expect((await aiUsageSummary(db, org.organizationId, since))[0]).toMatchObject({ provider: "local", calls: 3, credits: 0 });
    expect((await aiUsageSummary(db, other.organizationId, since))[0]).toMatchObject({ calls: 1 });
  });
});
