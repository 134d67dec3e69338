import { describe, expect, it } from "vitest";

import { generateLocalCopy } from "./local";
import { bannedWordMask, copyProblems, copySchema } from "./rules";
import type { ListingCopyRequest, ListingFacts } from "./types";

const facts: ListingFacts = {
  provider: "MERCADOLIVRE",
  title: "Air Fryer Mondial",
  categoryId: "MLB1644",
  categoryName: "Eletrodomésticos",
  description: "Fritadeira sem óleo. Garantia de 12 meses. EAN 7891234567895.",
  attributes: [
    { id: "BRAND", name: "Marca", value: "Mondial" },
    { id: "MODEL", name: "Modelo", value: "AFN-40 4L" },
    { id: "VOLTAGE", name: "Voltagem", value: "110V" },
    { id: "LINE", name: "Linha", value: "LEGO" },
  ],
  gtin: "7891234567895",
  priceCents: 39990,
  freeShipping: true,
};
const title: ListingCopyRequest = { kind: "title", facts, maxLength: 60 };
const description: ListingCopyRequest = { kind: "description", facts, maxLength: 5000 };

describe("copy rules", () => {
  it("accepts a good title", () => {
    expect(copyProblems(title, "Air Fryer Fritadeira Mondial AFN-40 4L 110V")).toEqual([]);
  });

  it("names each broken rule in Portuguese", () => {
    expect(copyProblems(title, "Air Fryer Mondial")[0]).toContain("idêntico");
    expect(copyProblems(title, "Air Fryer Mondial Promoção")[0]).toContain("palavra proibida");
    expect(copyProblems(title, "Air Fryer Mondial Frete Grátis")[0]).toContain("frete gratis");
    expect(copyProblems(title, "Air Fryer Mondial Usado 110V")[0]).toContain('"usado"');
    expect(copyProblems({ ...title, facts: { ...facts, provider: "SHOPEE" } }, "Air Fryer Mondial Usado 110V")).toEqual([]);
    expect(copyProblems(title, "AIR FRYER Mondial 110V")[0]).toContain("caixa alta");
    expect(copyProblems(title, "Air Fryer Mondial LEGO 110V")).toEqual([]); // spelled so in the facts
    expect(copyProblems(title, "Air Fryer Mondial 110V 🔥")[0]).toContain("emojis");
    expect(copyProblems(title, "Air Fryer Mondial 5L 110V")[0]).toContain('"5"');
    expect(copyProblems(title, "Air Fryer Mondial\n110V")[0]).toContain("única linha");
  });

  it("keeps descriptions free of contacts and markup, but not of the facts' numbers", () => {
    expect(copyProblems(description, "Fritadeira Mondial.\nEAN 7891234567895. Garantia de 12 meses. 1 unidade.")).toEqual([]);
    expect(copyProblems(description, "Fritadeira Mondial. Ligue (11) 91234-5678")).toContain("não inclua links, e-mails ou telefones");
    expect(copyProblems(description, "Veja www.loja.com.br")).toContain("não inclua links, e-mails ou telefones");
    expect(copyProblems(description, "<p>Fritadeira</p>")).toContain("use texto simples, sem HTML");
  });

  it("checks length and emptiness in the zod schema", () => {
    const schema = copySchema(title);
    expect(schema.safeParse({ text: "   " }).success).toBe(false);
    const long = schema.safeParse({ text: "Air Fryer Fritadeira Mondial AFN-40 4L 110V Air Fryer Fritadeira Mondial" });
    expect(long.success).toBe(false);
    expect(long.error!.issues[0]!.message).toBe("o texto passa de 60 caracteres");
    expect(schema.parse({ text: "  Air Fryer Mondial 110V  ", notes: ["x"] })).toEqual({ text: "Air Fryer Mondial 110V", notes: ["x"] });
  });

  it("masks banned phrases word by word", () => {
    expect(bannedWordMask("MERCADOLIVRE", ["Queima", "de", "Estoque", "Fone", "Frete", "Grátis!"])).toEqual([true, true, true, false, true, true]);
    expect(bannedWordMask("MERCADOLIVRE", ["Frete", "Rápido"])).toEqual([false, false]);
  });

  it("the local generator drops banned phrases from the old title", () => {
    const copy = generateLocalCopy({ ...title, facts: { ...facts, title: "Queima de Estoque Air Fryer Mondial" } });
    expect(copy.text).toBe("Air Fryer Mondial LEGO AFN-40 4L 110V");
    expect(copy.notes).toContain("removed promotional words");
  });
});
