/**
 * Keyword matching and reply templates for automations. Pure and client-safe (the automation form
 * previews with the same code the engine runs).
 *
 * Matching ignores case and accents and works on whole words: "preço" matches "Qual o PRECO?" but
 * "ar" does not match "carro". A keyword of several words matches that sequence of words.
 */

/** Lower case, accents removed, anything that is not a letter or digit turned into one space. */
export function normalizeText(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** The first keyword found in the text (as the person wrote it), or null. */
export function matchKeyword(text: string, keywords: readonly string[]): string | null {
  const haystack = ` ${normalizeText(text)} `;
  for (const keyword of keywords) {
    const needle = normalizeText(keyword);
    if (needle && haystack.includes(` ${needle} `)) return keyword;
  }
  return null;
}

/** Fills `{autor}` / `{author}` with the comment author's name (without a leading @). */
export function renderTemplate(template: string, vars: { author: string }): string {
  const author = vars.author.replace(/^@+/, "").trim();
  return template.replace(/\{\s*(autor|author)\s*\}/gi, author).trim();
}

/** Keywords as stored: trimmed, no empties, no duplicates once normalised. */
export function cleanKeywords(keywords: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of keywords) {
    const keyword = raw.trim().replace(/\s+/g, " ");
    const key = normalizeText(keyword);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push(keyword);
  }
  return out;
}
