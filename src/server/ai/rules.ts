/**
 * Marketplace copy rules shared by the LLM path (prompt + validation) and the local generator, so
 * both obey the same constraints: Mercado Livre and Shopee title policies forbid promotional words,
 * shouting and emojis in titles, and contact details or links in descriptions.
 */
import { z } from "zod";

import type { ListingCopyRequest, ListingFacts } from "./types";

// Both are called for every word of every listing by the local generator (tens of thousands of
// listings per run, from a small vocabulary): memoised, with a bound on the memory they hold.
const MEMO_LIMIT = 50_000;
const folded = new Map<string, string>();
const compacted = new Map<string, string>();

/** Lower-cased, accent-free: the form every comparison below uses. */
export function fold(value: string): string {
  let out = folded.get(value);
  if (out === undefined) {
    out = value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    if (folded.size >= MEMO_LIMIT) folded.clear();
    folded.set(value, out);
  }
  return out;
}

/** Spaces and punctuation removed: "128GB" and "128 GB" compare equal. */
export function compact(value: string): string {
  let out = compacted.get(value);
  if (out === undefined) {
    out = fold(value).replace(/[^a-z0-9]+/g, "");
    if (compacted.size >= MEMO_LIMIT) compacted.clear();
    compacted.set(value, out);
  }
  return out;
}

// Promotional words both marketplaces refuse or penalise in titles (ML: "não inclua promoções,
// frete grátis ou preço"; Shopee: keyword spam). Matched on folded whole words/phrases.
const PROMO_PHRASES = [
  "promocao",
  "promo",
  "oferta",
  "ofertas",
  "desconto",
  "descontos",
  "frete gratis",
  "gratis",
  "liquidacao",
  "queima de estoque",
  "imperdivel",
  "barato",
  "barata",
  "menor preco",
  "melhor preco",
  "black friday",
  "envio imediato",
  "pronta entrega",
  "lancamento",
  "sale",
] as const;

// Mercado Livre also asks titles not to state the condition (a field of its own).
const PROVIDER_TITLE_WORDS: Record<ListingFacts["provider"], readonly string[]> = {
  MERCADOLIVRE: ["usado", "usada", "lacrado", "lacrada"],
  SHOPEE: [],
};

const PROMO_RE = new RegExp(`(?:^|[^a-z0-9])(${PROMO_PHRASES.map((p) => p.replace(/ /g, "\\s+")).join("|")})(?=$|[^a-z0-9])`);
const PROVIDER_RE = Object.fromEntries(
  Object.entries(PROVIDER_TITLE_WORDS).map(([provider, words]) => [
    provider,
    words.length ? new RegExp(`(?:^|[^a-z0-9])(${words.join("|")})(?=$|[^a-z0-9])`) : null,
  ]),
) as Record<ListingFacts["provider"], RegExp | null>;

const EMOJI_RE = /\p{Extended_Pictographic}/u;
const URL_RE = /(?:https?:\/\/|www\.)\S+|\b[a-z0-9-]+\.(?:com|net|org)(?:\.br)?\b/i;
const EMAIL_RE = /[^\s@]+@[^\s@]+\.[a-z]{2,}/i;
// Brazilian phone numbers: (11) 91234-5678, 11 912345678, +55…
// Not preceded by a digit, so the digits of a GTIN never read as a phone.
const PHONE_RE = /(?<![\d+])(?:\+?55\s?)?\(?\d{2}\)?\s?9?\d{4}[-\s]?\d{4}(?!\d)/;
const HTML_RE = /<\/?[a-z][^>]*>/i;
const NUMBER_RE = /\d+(?:[.,]\d+)?/g;

/** The banned promotional/condition word found in a title, or null. */
export function bannedTitleWord(provider: ListingFacts["provider"], text: string): string | null {
  const folded = fold(text);
  const promo = PROMO_RE.exec(folded);
  if (promo) return promo[1]!;
  const extra = PROVIDER_RE[provider]?.exec(folded);
  return extra ? extra[1]! : null;
}

const BANNED_PHRASES: Record<ListingFacts["provider"], string[][]> = {
  MERCADOLIVRE: [...PROMO_PHRASES, ...PROVIDER_TITLE_WORDS.MERCADOLIVRE].map((p) => p.split(" ")),
  SHOPEE: [...PROMO_PHRASES, ...PROVIDER_TITLE_WORDS.SHOPEE].map((p) => p.split(" ")),
};

/** Which of these title words belong to a banned word or phrase ("frete", "grátis", "queima de estoque"). */
export function bannedWordMask(provider: ListingFacts["provider"], words: string[]): boolean[] {
  const mask = words.map(() => false);
  const foldedWords = words.map((w) => fold(w).replace(/[^a-z0-9]+/g, ""));
  for (const phrase of BANNED_PHRASES[provider]) {
    for (let i = 0; i + phrase.length <= foldedWords.length; i++) {
      if (phrase.every((p, k) => foldedWords[i + k] === p)) for (let k = 0; k < phrase.length; k++) mask[i + k] = true;
    }
  }
  return mask;
}

/** Every token (as written) of the facts: what a suggestion may repeat in upper case. */
function factTokens(facts: ListingFacts): Set<string> {
  const tokens = new Set<string>();
  const add = (value: string | null | undefined) => {
    if (!value) return;
    for (const t of value.split(/\s+/)) if (t) tokens.add(t.replace(/[^\p{L}\p{N}+-]/gu, ""));
  };
  for (const a of facts.attributes) add(a.value);
  add(facts.categoryName);
  return tokens;
}

/** Numbers appearing anywhere in the facts (decimal comma read as a point). */
function factNumbers(facts: ListingFacts): Set<string> {
  const numbers = new Set<string>();
  const add = (value: string | null | undefined) => {
    for (const n of value?.match(NUMBER_RE) ?? []) numbers.add(n.replace(",", "."));
  };
  add(facts.title);
  add(facts.description);
  add(facts.categoryName);
  add(facts.gtin);
  for (const a of facts.attributes) add(a.value);
  return numbers;
}

/**
 * What is wrong with a suggestion, in Portuguese (the LLM is told these on its retry); empty when
 * it is acceptable. Length and emptiness are checked by the zod schema below.
 */
export function copyProblems(request: ListingCopyRequest, text: string): string[] {
  const problems: string[] = [];
  const { facts } = request;
  const normalized = fold(text).replace(/\s+/g, " ").trim();
  const current = request.kind === "title" ? facts.title : (facts.description ?? "");
  if (normalized === fold(current).replace(/\s+/g, " ").trim()) problems.push("o texto é idêntico ao atual; proponha uma melhoria");
  if (EMOJI_RE.test(text)) problems.push("não use emojis");
  if (HTML_RE.test(text)) problems.push("use texto simples, sem HTML");
  if (URL_RE.test(text) || EMAIL_RE.test(text) || PHONE_RE.test(text)) problems.push("não inclua links, e-mails ou telefones");

  if (request.kind === "title") {
    if (/[\r\n]/.test(text)) problems.push("o título deve ter uma única linha");
    const banned = bannedTitleWord(facts.provider, text);
    if (banned) problems.push(`palavra proibida em títulos: "${banned}"`);
    // Shouting: a word of 4+ letters in capitals that the facts do not write that way (brands like
    // "LEGO" or "JBL" come from the facts and stay as they are).
    const allowed = factTokens(facts);
    const shouted = text
      .split(/\s+/)
      .map((t) => t.replace(/[^\p{L}\p{N}+-]/gu, ""))
      .find((t) => (t.match(/\p{Lu}/gu)?.length ?? 0) >= 4 && !/\p{Ll}/u.test(t) && !allowed.has(t));
    if (shouted) problems.push(`não escreva palavras em caixa alta ("${shouted}")`);
  }

  // No invented specs: every number must come from the facts (a description may say "1 unidade").
  const known = factNumbers(facts);
  const invented = (text.match(NUMBER_RE) ?? [])
    .map((n) => n.replace(",", "."))
    .find((n) => !known.has(n) && !(request.kind === "description" && n === "1"));
  if (invented) problems.push(`o número "${invented}" não consta dos dados do anúncio; não invente especificações`);
  return problems;
}

/** The LLM's answer: its shape is enforced by the AI SDK (Output.object), its content below. */
export const modelAnswerSchema = z.object({
  text: z.string().describe("O novo texto"),
  notes: z.array(z.string()).max(10).optional().describe("O que mudou, em poucas palavras"),
});
export type ModelAnswer = z.infer<typeof modelAnswerSchema>;

/** Content rules of one request as a zod schema: length, not empty, and copyProblems. */
export function copySchema(request: ListingCopyRequest) {
  return z.object({
    text: z
      .string()
      .trim()
      .min(1, "o texto está vazio")
      .max(request.maxLength, `o texto passa de ${request.maxLength} caracteres`)
      .superRefine((text, ctx) => {
        for (const message of copyProblems(request, text)) ctx.addIssue({ code: "custom", message });
      }),
    notes: z.array(z.string().trim().max(200)).max(10).optional(),
  });
}
