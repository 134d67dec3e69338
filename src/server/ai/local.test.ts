import { describe, expect, it } from "vitest";

import { createSandboxCatalog, type CatalogItem } from "~/server/connectors/sandbox/catalog";

import { generateLocalCopy, LOCAL_MODEL } from "./local";
import { copyProblems, fold } from "./rules";
import type { ListingCopyRequest, ListingFacts } from "./types";

function factsOf(item: CatalogItem, provider: ListingFacts["provider"] = "MERCADOLIVRE"): ListingFacts {
  return {
    provider,
    title: item.title,
    categoryId: item.category.id,
    categoryName: item.category.name,
    description: item.description,
    attributes: item.attributes,
    gtin: item.gtin,
    priceCents: item.priceCents,
    freeShipping: item.freeShipping,
  };
}

const catalog = createSandboxCatalog({ seed: "ai-local-tests", size: 2000 });
const items = [...catalog.items("seller-a"), ...catalog.items("seller-b", 0, 500)];

/** Every word a title may use: the facts' words, plus attribute names (labels like "Tamanho"). */
function allowedWords(facts: ListingFacts): Set<string> {
  const allowed = new Set<string>();
  const add = (text: string | null | undefined) => text?.split(/\s+/).forEach((w) => allowed.add(fold(w)));
  add(facts.title);
  for (const a of facts.attributes) {
    add(a.value);
    add(a.name);
  }
  return allowed;
}

const emptyFacts = (over: Partial<ListingFacts>): ListingFacts => ({
  provider: "MERCADOLIVRE",
  title: "",
  categoryId: null,
  description: null,
  attributes: [],
  gtin: null,
  priceCents: 1000,
  freeShipping: false,
  ...over,
});

describe("local generator: titles", () => {
  it("respects the limit, uses only the listing's facts and breaks no title rule, for every catalog item", () => {
    for (const item of items) {
      for (const [provider, maxLength] of [
        ["MERCADOLIVRE", 60],
        ["SHOPEE", 120],
        ["MERCADOLIVRE", 25],
      ] as const) {
        const facts = factsOf(item, provider);
        const copy = generateLocalCopy({ kind: "title", facts, maxLength });
        expect(copy.generator).toBe("local");
        expect(copy.model).toBe(LOCAL_MODEL);
        expect(copy.text.length).toBeGreaterThan(0);
        expect(copy.text.length).toBeLessThanOrEqual(maxLength);
        const allowed = allowedWords(facts);
        for (const word of copy.text.split(" ")) expect(allowed, `${word} in "${copy.text}"`).toContain(fold(word));
        const problems = copyProblems({ kind: "title", facts, maxLength }, copy.text).filter((p) => !p.includes("idêntico"));
        expect(problems, copy.text).toEqual([]);
        // No repeated word (connectors aside).
        const significant = copy.text.split(" ").filter((w) => w.length > 3).map(fold);
        expect(new Set(significant).size, copy.text).toBe(significant.length);
      }
    }
  }, 60_000); // thousands of catalog items: slow on a loaded 2-core machine, not a speed check

  it("is deterministic", () => {
    for (const item of items.slice(0, 300)) {
      const request: ListingCopyRequest = { kind: "title", facts: factsOf(item), maxLength: 60 };
      expect(generateLocalCopy(request)).toEqual(generateLocalCopy(structuredClone(request)));
    }
  });

  it("completes a short title with brand, model and key attributes", () => {
    const item = items.find((i) => i.problems.includes("short_title") && i.title.startsWith("Fone"))!;
    const copy = generateLocalCopy({ kind: "title", facts: factsOf(item), maxLength: 60 });
    expect(copy.text.startsWith(`Fone ${item.brand} ${item.model}`)).toBe(true);
    expect(copy.text.length).toBeGreaterThan(item.title.length);
    expect(copy.notes).toContain("added model");
    // Short titles get longer for most of the catalog's short-titled items.
    const short = items.filter((i) => i.problems.includes("short_title"));
    const improved = short.filter((i) => generateLocalCopy({ kind: "title", facts: factsOf(i), maxLength: 60 }).text.length > i.title.length);
    expect(improved.length / short.length).toBeGreaterThan(0.9);
  });

  it("tames shouting, drops promotional words and keeps connectors in lower case", () => {
    const facts = emptyFacts({
      title: "FONE DE OUVIDO BLUETOOTH PROMOÇÃO FRETE GRÁTIS",
      attributes: [
        { id: "BRAND", name: "Marca", value: "JBL" },
        { id: "MODEL", name: "Modelo", value: "Tune 510BT" },
        { id: "COLOR", name: "Cor", value: "Preto" },
      ],
    });
    const copy = generateLocalCopy({ kind: "title", facts, maxLength: 60 });
    expect(copy.text).toBe("Fone de Ouvido Bluetooth JBL Tune 510BT Preto");
    expect(copy.notes).toEqual(expect.arrayContaining(["removed promotional words", "added brand", "added model", "added cor"]));
  });

  it("labels bare sizes and never contradicts the title's stated size", () => {
    const facts = emptyFacts({
      title: "Tênis de Corrida Asics Gel-Excite 10 Tam 42",
      attributes: [
        { id: "BRAND", name: "Marca", value: "Asics" },
        { id: "MODEL", name: "Modelo", value: "Gel-Excite 10" },
        { id: "SIZE", name: "Tamanho", value: "42" },
      ],
    });
    expect(generateLocalCopy({ kind: "title", facts, maxLength: 60 }).text).toBe("Tênis de Corrida Asics Gel-Excite 10 Tamanho 42");
  });

  it("cuts at a word boundary when even the product type is too long", () => {
    const facts = emptyFacts({ title: "Kit Panelas Antiaderente Cerâmica Indução Cabo Baquelite" });
    const copy = generateLocalCopy({ kind: "title", facts, maxLength: 20 });
    expect(copy.text).toBe("Kit Panelas");
    expect(copy.notes).toContain("fitted to the length limit");
  });
});

describe("local generator: descriptions", () => {
  it("writes labelled sections from the attributes within the limit", () => {
    const item = items.find((i) => i.gtin && i.attributes.length >= 6)!;
    const facts = factsOf(item);
    const copy = generateLocalCopy({ kind: "description", facts, maxLength: 50_000 });
    expect(copy.generator).toBe("local");
    expect(copy.text).toContain("Características\n- Marca: " + item.brand);
    expect(copy.text).toContain("Especificações\n");
    expect(copy.text).toContain(`Código de barras (EAN): ${item.gtin}`);
    expect(copy.text).toContain("Mais informações\n" + item.description.split("\n")[0]);
    expect(copy.text).not.toMatch(/lorem|ipsum/i);
    expect(copyProblems({ kind: "description", facts, maxLength: 50_000 }, copy.text)).toEqual([]);
  });

  it("drops the last sections rather than pass the limit", () => {
    for (const item of items.slice(0, 200)) {
      const copy = generateLocalCopy({ kind: "description", facts: factsOf(item), maxLength: 200 });
      expect(copy.text.length).toBeLessThanOrEqual(200);
      expect(copy.text.length).toBeGreaterThan(0);
    }
  });

  it("removes links, e-mails and HTML from the seller's text", () => {
    const facts = emptyFacts({ title: "Café em Grãos Pilão", description: "<b>Ótimo</b> café! Veja www.loja.com ou escreva para a@b.com" });
    const copy = generateLocalCopy({ kind: "description", facts, maxLength: 1000 });
    expect(copy.text).not.toMatch(/<b>|www\.|@/);
    expect(copy.text).toContain("Ótimo café!");
  });
});
