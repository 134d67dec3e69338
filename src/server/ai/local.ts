/**
 * The deterministic local generator: rules and templates over the listing's own facts (its title
 * and attributes), used when no LLM is configured and whenever the LLM fails. Pure and synchronous:
 * the action engine calls it for every listing of a run, so it must stay cheap (no I/O, no
 * randomness: the same facts always give the same text). It never adds a word that is not in the
 * facts, except attribute names used as labels ("Tamanho M") and the description's section headings.
 */
import { bannedTitleWord, bannedWordMask, compact, fold } from "./rules";
import type { ListingCopy, ListingCopyRequest, ListingFacts } from "./types";

export const LOCAL_MODEL = "local-templates-v1";

// Portuguese title case keeps these in lower case (except as the first word).
const LOWER_WORDS = new Set(["a", "ao", "aos", "as", "com", "da", "das", "de", "do", "dos", "e", "em", "na", "nas", "no", "nos", "o", "os", "ou", "para", "por", "sem"]);

/** What an attribute is for, by Mercado Livre id or (Shopee's numeric ids) by its Portuguese name. */
type Role = "brand" | "model" | "line" | "key" | "spec" | "hidden" | "contents";

const ROLE_BY_ID: Record<string, Role> = {
  BRAND: "brand",
  MODEL: "model",
  LINE: "line",
  GTIN: "hidden",
  EAN: "hidden",
  SELLER_SKU: "hidden",
  ITEM_CONDITION: "spec",
  PACKAGE_WEIGHT: "spec",
  PACKAGE_HEIGHT: "spec",
  PACKAGE_WIDTH: "spec",
  PACKAGE_LENGTH: "spec",
  WARRANTY_TYPE: "spec",
  WARRANTY_TIME: "spec",
  INCLUDED_ACCESSORIES: "contents",
  PACKAGE_CONTENT: "contents",
  UNITS_PER_PACK: "contents",
};
const ROLE_BY_NAME: Record<string, Role> = {
  marca: "brand",
  modelo: "model",
  linha: "line",
  "conteudo da embalagem": "contents",
  "acessorios incluidos": "contents",
  "itens inclusos": "contents",
  "condicao do item": "spec",
  condicao: "spec",
  "peso da embalagem": "spec",
  garantia: "spec",
  "codigo universal de produto": "hidden",
  gtin: "hidden",
  ean: "hidden",
  sku: "hidden",
};

// Attributes worth a place in a title, most important first (ids, then folded names for Shopee).
const TITLE_PRIORITY = [
  "CONNECTIVITY|conectividade",
  "INTERNAL_MEMORY|memoria interna|armazenamento",
  "RAM|memoria ram",
  "CAPACITY|capacidade",
  "POWER|potencia",
  "VOLTAGE|voltagem|tensao",
  "SIZE|tamanho",
  "COLOR|MAIN_COLOR|cor|cor principal",
  "MATERIAL|material",
  "GENDER|genero",
  "FLAVOR|sabor",
  "LENGTH|comprimento",
].map((keys) => keys.split("|"));

type Attr = { id: string; name: string; value: string; role: Role };

function roleOf(id: string, name: string): Role {
  return ROLE_BY_ID[id] ?? ROLE_BY_NAME[fold(name)] ?? "key";
}

function factAttributes(facts: ListingFacts): Attr[] {
  const attrs: Attr[] = [];
  for (const a of facts.attributes) {
    const value = a.value?.trim();
    if (value) attrs.push({ id: a.id, name: a.name.trim(), value, role: roleOf(a.id, a.name) });
  }
  return attrs;
}

function titleAttributes(attrs: Attr[]): Attr[] {
  const ordered: Attr[] = [];
  for (const keys of TITLE_PRIORITY) {
    const found = attrs.find((a) => keys.includes(a.id) || keys.includes(fold(a.name)));
    if (found && !ordered.includes(found)) ordered.push(found);
  }
  return ordered;
}

/** A bare size or number ("42", "M") means nothing alone in a title: label it with its name. */
function labelled(attr: Attr): string {
  return /^\d+([.,]\d+)?$/.test(attr.value) || attr.value.length <= 3 ? `${attr.name} ${attr.value}` : attr.value;
}

function isShouting(word: string): boolean {
  const letters = word.match(/\p{L}/gu);
  return !!letters && letters.length >= 4 && !/\p{Ll}/u.test(word);
}

/**
 * Title case for Portuguese: connectors in lower case, each word capitalised, but words with
 * digits or inner capitals ("510BT", "iPhone", "PS5") and words spelled that way in the
 * attributes ("LEGO", "JBL") kept as written. Words shouted in the old title are tamed.
 */
function caseWord(word: string, first: boolean, keep: Set<string>): string {
  if (keep.has(word)) return word;
  const lower = word.toLocaleLowerCase("pt-BR");
  if (!first && LOWER_WORDS.has(lower)) return lower;
  if (/\d/.test(word) || (/\p{Ll}/u.test(word) && /\p{Lu}/u.test(word.slice(1)))) return word;
  if (!isShouting(word) && /\p{Lu}/u.test(word) && word.length <= 3) return word; // acronyms: TV, LED, USB
  return lower.charAt(0).toLocaleUpperCase("pt-BR") + lower.slice(1);
}

function words(value: string): string[] {
  // Stand-alone separators ("-", "|", "/") carry nothing in a title.
  return value.split(/\s+/).filter((w) => w && /[\p{L}\p{N}]/u.test(w));
}

/** Whether consecutive words of `said` spell `text` (compared compacted: "128GB" = "128 GB"). */
function saidAlready(said: string[], text: string): boolean {
  const target = compact(text);
  if (!target) return true;
  for (let i = 0; i < said.length; i++) {
    let run = "";
    for (let j = i; j < said.length && run.length < target.length; j++) run += compact(said[j]!);
    if (run === target) return true;
  }
  return false;
}

function trimConnectors(tokens: string[]): string[] {
  let end = tokens.length;
  while (end > 0 && LOWER_WORDS.has(fold(tokens[end - 1]!))) end--;
  return tokens.slice(0, end);
}

function localTitle(request: ListingCopyRequest): ListingCopy {
  const { facts, maxLength } = request;
  const attrs = factAttributes(facts);
  const brand = attrs.find((a) => a.role === "brand");
  const model = attrs.find((a) => a.role === "model");
  const line = attrs.find((a) => a.role === "line");
  const keep = new Set<string>();
  for (const a of attrs) for (const w of words(a.value)) keep.add(w);

  // The product type is the old title's lead, up to the first word that is an attribute value
  // ("Fone de Ouvido Bluetooth | JBL Tune 510BT Preto"); later non-attribute words are extras.
  const valueWords = new Set<string>();
  for (const a of attrs) if (a.role !== "spec" && a.role !== "hidden") for (const w of words(a.value)) valueWords.add(compact(w));
  const notes: string[] = [];
  const typeWords: string[] = [];
  const extraWords: string[] = [];
  let inType = true;
  const titleWords = words(facts.title);
  // One regex over the whole title first: almost no title has a banned word to mask.
  const banned = bannedTitleWord(facts.provider, facts.title) ? bannedWordMask(facts.provider, titleWords) : null;
  const droppedPromo = !!banned?.includes(true);
  for (const [i, w] of titleWords.entries()) {
    if (banned?.[i]) continue;
    if (valueWords.has(compact(w))) inType = false;
    else (inType ? typeWords : extraWords).push(w);
  }
  // A title that starts with the brand: its product type is what follows.
  if (typeWords.length === 0) typeWords.push(...extraWords.splice(0));
  // Labels of values the title carried ("Tam 42", "Cor Preto"): the value returns labelled.
  const labels = attrs.map((a) => fold(a.name));
  for (let i = extraWords.length - 1; i >= 0; i--) {
    const w = fold(extraWords[i]!);
    if (w.length >= 3 && labels.some((label) => label.startsWith(w))) extraWords.splice(i, 1);
  }
  if (droppedPromo) notes.push("removed promotional words");

  // `short`: a fallback when the labelled form does not fit ("M" where "Tamanho M" is too long).
  const parts: { text: string; short?: string; note: string | null }[] = [{ text: trimConnectors(typeWords).join(" "), note: null }];
  if (brand) parts.push({ text: brand.value, note: "added brand" });
  if (line) parts.push({ text: line.value, note: "added line" });
  if (model) parts.push({ text: model.value, note: "added model" });
  for (const a of titleAttributes(attrs)) parts.push({ text: labelled(a), short: a.value, note: `added ${fold(a.name)}` });
  if (extraWords.length) parts.push({ text: trimConnectors(extraWords).join(" "), note: null });

  const out: string[] = [];
  const seen = new Set<string>();
  let length = 0;
  let shortened = false;
  for (const part of parts) {
    let tooLong = false;
    for (const text of part.short && part.short !== part.text ? [part.text, part.short] : [part.text]) {
      tooLong = false;
      const partWords = words(text);
      const fresh = partWords.filter((w) => !seen.has(compact(w)));
      if (fresh.length === 0) break;
      // Already said in other words ("128GB" vs "128 GB"), or only a bare number would remain once
      // its shared words are dropped ("Bluetooth 5.3" after "Bluetooth"): skip the whole part.
      if (saidAlready(out, text)) break;
      if (fresh.length < partWords.length && !fresh.some((w) => /\p{L}{2,}/u.test(w))) break;
      const needed = (out.length ? 1 : 0) + fresh.join(" ").length;
      if (length + needed > maxLength) {
        tooLong = true;
        continue; // its short form, or a later, shorter part, may still fit
      }
      out.push(...fresh);
      length += needed;
      for (const w of fresh) seen.add(compact(w));
      if (part.note && !saidAlready(titleWords, text)) notes.push(part.note);
      break;
    }
    if (tooLong) shortened = true;
  }

  // Even the product type alone is too long: cut at a word boundary.
  if (out.length === 0) {
    for (const w of titleWords) {
      if (length + (out.length ? 1 : 0) + w.length > maxLength) break;
      length += (out.length ? 1 : 0) + w.length;
      out.push(w);
    }
    shortened = true;
  }
  const finalWords = trimConnectors(out).map((w, i) => caseWord(w, i === 0, keep));
  if (shortened) notes.push("fitted to the length limit");
  if (finalWords.some((w, i) => w !== out[i])) notes.push("normalised capitalisation");
  return { text: finalWords.join(" ").slice(0, maxLength), generator: "local", model: LOCAL_MODEL, notes: [...new Set(notes)] };
}

// Removes what descriptions may not carry (links, e-mails, phones, HTML, emojis) from seller text.
function cleanDescription(text: string): string {
  return text
    .replace(/<[^>]+>/g, " ")
    .replace(/\p{Extended_Pictographic}/gu, "")
    .replace(/(?:https?:\/\/|www\.)\S+/gi, "")
    .replace(/[^\s@]+@[^\s@]+\.[a-z]{2,}/gi, "")
    .replace(/[ \t]+/g, " ")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function localDescription(request: ListingCopyRequest): ListingCopy {
  const { facts, maxLength } = request;
  const attrs = factAttributes(facts);
  const line = (a: Attr) => `- ${a.name}: ${a.value}`;
  const main = attrs.filter((a) => a.role === "brand" || a.role === "line" || a.role === "model" || a.role === "key");
  const specs = attrs.filter((a) => a.role === "spec");
  const contents = attrs.filter((a) => a.role === "contents");
  const gtin = facts.gtin ?? attrs.find((a) => a.role === "hidden" && /gtin|ean|codigo universal/.test(fold(`${a.id} ${a.name}`)))?.value ?? null;
  if (gtin) specs.push({ id: "GTIN", name: "Código de barras (EAN)", value: gtin, role: "spec" });

  // Sections in order of importance; the tail is dropped first when the limit is tight.
  const sections: { heading: string | null; lines: string[]; note: string }[] = [{ heading: null, lines: [facts.title.trim()], note: "" }];
  const existing = facts.description ? cleanDescription(facts.description) : "";
  if (main.length) sections.push({ heading: "Características", lines: main.map(line), note: "added characteristics" });
  if (specs.length) sections.push({ heading: "Especificações", lines: specs.map(line), note: "added specifications" });
  if (contents.length) sections.push({ heading: "Conteúdo da embalagem", lines: contents.map((a) => `- ${a.value}`), note: "added package contents" });
  if (existing) sections.push({ heading: "Mais informações", lines: [existing], note: "kept the seller's description" });

  const notes: string[] = [];
  let text = "";
  for (const section of sections) {
    const block = (section.heading ? `${section.heading}\n` : "") + section.lines.join("\n");
    const candidate = text ? `${text}\n\n${block}` : block;
    if (candidate.length > maxLength) {
      notes.push("fitted to the length limit");
      break;
    }
    text = candidate;
    if (section.note) notes.push(section.note);
  }
  if (!text) text = facts.title.slice(0, maxLength);
  return { text, generator: "local", model: LOCAL_MODEL, notes };
}

/** Title or description from the listing's own facts; deterministic, within request.maxLength. */
export function generateLocalCopy(request: ListingCopyRequest): ListingCopy {
  return request.kind === "title" ? localTitle(request) : localDescription(request);
}
