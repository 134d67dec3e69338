import { describe, expect, it } from "vitest";

import { cleanKeywords, matchKeyword, normalizeText, renderTemplate } from "./match";

describe("matchKeyword", () => {
  it("ignores case and accents on both sides", () => {
    expect(matchKeyword("Qual o PRECO?", ["preço"])).toBe("preço");
    expect(matchKeyword("qual o preço?", ["PRECO"])).toBe("PRECO");
    expect(matchKeyword("Ação válida até amanhã", ["acao"])).toBe("acao");
  });

  it("matches whole words only", () => {
    expect(matchKeyword("Que carro lindo", ["ar"])).toBeNull();
    expect(matchKeyword("tem ar-condicionado?", ["ar"])).toBe("ar");
    expect(matchKeyword("precos?", ["preço"])).toBeNull();
  });

  it("matches a phrase as a sequence of words, across punctuation and spacing", () => {
    expect(matchKeyword("Qual o   frete,grátis para SP?", ["frete grátis"])).toBe("frete grátis");
    expect(matchKeyword("grátis o frete", ["frete grátis"])).toBeNull();
  });

  it("returns the first keyword found, in the rule's order", () => {
    expect(matchKeyword("preço e frete", ["frete", "preço"])).toBe("frete");
    expect(matchKeyword("nada aqui", ["frete", "preço"])).toBeNull();
    expect(matchKeyword("qualquer coisa", ["", "  "])).toBeNull();
  });

  it("handles emoji and other scripts without matching them by accident", () => {
    expect(matchKeyword("😍😍 preço??", ["preço"])).toBe("preço");
    expect(normalizeText("  Olá,   MUNDO!! ")).toBe("ola mundo");
  });
});

describe("renderTemplate", () => {
  it("fills {autor} and {author}, without a leading @", () => {
    expect(renderTemplate("Oi {autor}! Obrigado, { author }.", { author: "@ana" })).toBe("Oi ana! Obrigado, ana.");
    expect(renderTemplate("Sem placeholder", { author: "ana" })).toBe("Sem placeholder");
  });
});

describe("cleanKeywords", () => {
  it("trims, collapses spaces and drops duplicates that differ only by case or accents", () => {
    expect(cleanKeywords([" Preço ", "preco", "frete   grátis", "", "FRETE GRATIS"])).toEqual(["Preço", "frete grátis"]);
  });
});
