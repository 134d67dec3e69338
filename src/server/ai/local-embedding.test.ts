import { describe, expect, it } from "vitest";

import { cosine, LOCAL_EMBEDDING_DIMS, localEmbedding, normalizeText, tokens } from "./local-embedding";

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe("local embedding (feature hashing)", () => {
  it("folds accents, case and punctuation", () => {
    expect(normalizeText("Tênis  CORRIDA-Masculino, Ação!")).toBe("tenis corrida masculino acao");
    expect(tokens("Camisetas de algodão para corrida")).toEqual(["camiseta", "algodao", "corrida"]);
  });

  it("is deterministic, unit length and has the configured dimensions", () => {
    const a = localEmbedding("Fone de ouvido Bluetooth sem fio");
    expect(a).toHaveLength(LOCAL_EMBEDDING_DIMS);
    expect(norm(a)).toBeCloseTo(1, 10);
    expect(localEmbedding("Fone de ouvido Bluetooth sem fio")).toEqual(a);
    expect(localEmbedding("fone DE OUVIDO bluetooth, sem fio")).toEqual(a);
  });

  it("an empty text (or only stopwords) is the zero vector, similar to nothing", () => {
    const zero = localEmbedding("de para com");
    expect(norm(zero)).toBe(0);
    expect(cosine(zero, localEmbedding("fone bluetooth"))).toBe(0);
  });

  it("ranks a near-duplicate title above unrelated ones, accents or not", () => {
    const query = localEmbedding("Tenis de corrida masculino leve");
    const near = cosine(query, localEmbedding("Tênis Corrida Masculino Leve Amortecimento"));
    const other = cosine(query, localEmbedding("Panela de pressão inox 4,5 litros"));
    const partial = cosine(query, localEmbedding("Tênis casual feminino"));
    expect(near).toBeGreaterThan(0.6);
    expect(near).toBeGreaterThan(partial);
    expect(partial).toBeGreaterThan(other);
    expect(other).toBeLessThan(0.25);
  });

  it("a typo still lands close (character trigrams)", () => {
    expect(cosine(localEmbedding("camiseta algodao"), localEmbedding("camisseta algodão"))).toBeGreaterThan(0.5);
  });
});
