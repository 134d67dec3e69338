/**
 * The deterministic local embedding: feature hashing of normalized words, word pairs and character
 * trigrams into a fixed number of dimensions, L2-normalized. No model, no network, same vector for
 * the same text on every machine — the default when no embedding provider is configured.
 * It captures shared vocabulary (accents and case folded, light plural folding, typos through
 * trigrams), not meaning: "tênis corrida" is near "tenis de corrida masculino", not near "sapatilha".
 * See docs/semantic-search.md.
 */

export const LOCAL_EMBEDDING_DIMS = 256;
/** Stored with every vector: a change to the features below must bump the version (re-index). */
export const LOCAL_EMBEDDING_MODEL = `local-hash-v1-${LOCAL_EMBEDDING_DIMS}`;

// Frequent Portuguese (and a few English) function words: they would make every title "similar".
const STOPWORDS = new Set(
  "a o as os um uma uns umas de da do das dos em na no nas nos para pra por com sem e ou que se ao aos the and for with of".split(" "),
);

const WORD_WEIGHT = 1;
const PAIR_WEIGHT = 0.7;
const TRIGRAM_WEIGHT = 0.35;

/** Lower case, accents folded (ç → c, ã → a), anything but letters and digits becomes a space. */
export function normalizeText(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Crude plural folding so "camisetas" meets "camiseta" (the trigrams catch the rest). */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith("oes")) return `${word.slice(0, -3)}ao`;
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

export function tokens(text: string): string[] {
  return normalizeText(text)
    .split(" ")
    .filter((w) => w.length > 0 && !STOPWORDS.has(w))
    .map(stem);
}

// FNV-1a, 32 bits: fast, stable across runtimes, good enough spread for feature hashing.
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function add(vector: Float64Array, feature: string, weight: number) {
  const hash = fnv1a(feature);
  // A second hash decides the sign, so colliding features cancel out on average instead of adding up.
  const sign = fnv1a(`±${feature}`) & 1 ? 1 : -1;
  vector[hash % vector.length]! += sign * weight;
}

/** L2-normalized in place; an all-zero vector (no usable words) stays zero. */
export function l2Normalize(values: number[]): number[] {
  const norm = Math.sqrt(values.reduce((sum, v) => sum + v * v, 0));
  return norm === 0 ? values.map(() => 0) : values.map((v) => v / norm);
}

/** The local embedding of one text: `dims` numbers with unit length (or all zero for an empty text). */
export function localEmbedding(text: string, dims = LOCAL_EMBEDDING_DIMS): number[] {
  const vector = new Float64Array(dims);
  const words = tokens(text);
  words.forEach((word, i) => {
    add(vector, `w:${word}`, WORD_WEIGHT);
    if (i > 0) add(vector, `p:${words[i - 1]} ${word}`, PAIR_WEIGHT);
    const padded = ` ${word} `;
    for (let j = 0; j + 3 <= padded.length; j++) add(vector, `t:${padded.slice(j, j + 3)}`, TRIGRAM_WEIGHT);
  });
  return l2Normalize(Array.from(vector));
}

/** Cosine similarity of two vectors (dot product when both are unit length). */
export function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
