/**
 * Deterministic seeded catalog shared by every marketplace sandbox (Mercado Livre, Shopee).
 *
 * Item `i` of seller `s` is a pure function of (seed, s, i): nothing is generated ahead of time and
 * nothing is stored, so a 100 000-item catalog costs no memory and two processes (or an app restart)
 * see the same items. Each sandbox maps these provider-neutral items to its own wire format and ids,
 * and keeps its own overlay for edits made through its API.
 *
 * A designed share of items carries problems (few photos, missing GTIN, no free shipping, out of
 * stock, overpriced against a reference price, short title) so the Health Score and recommended
 * actions have something to find, and a smaller share carries marketplace flags (poor-quality
 * pictures, moderation penalty, deboost). The shares are in PROBLEM_SHARES and FLAG_SHARES and
 * checked by unit tests.
 */

export const CATALOG_MIN_SIZE = 10;
export const CATALOG_MAX_SIZE = 100_000;
export const CATALOG_DEFAULT_SIZE = 300;

/** Clamps a configured size (env `SANDBOX_CATALOG_SIZE`) into the supported range. */
export function resolveCatalogSize(value?: number | string | null): number {
  const n = typeof value === "string" ? Number(value) : value;
  if (n === undefined || n === null || !Number.isFinite(n)) return CATALOG_DEFAULT_SIZE;
  return Math.min(CATALOG_MAX_SIZE, Math.max(CATALOG_MIN_SIZE, Math.trunc(n)));
}

// ─── Hash-based randomness ──────────────────────────────────────────────────────────────────────
// A counter-based generator (hash of the coordinates) instead of a sequential PRNG: any item or any
// (item, day) can be computed directly, in any order, with the same result.

/** 32-bit finaliser of MurmurHash3: spreads the bits of a number (the sandboxes' orders use it too). */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashString(value: string): number {
  // FNV-1a, then a final mix so short, similar strings spread out.
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h >>> 0);
}

function hashParts(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) h = mix32((h ^ mix32((p | 0) + 0x7f4a7c15)) + 0x165667b1);
  return h;
}

/** A stream of uniform numbers in [0, 1) for one coordinate; `salt` separates independent draws. */
class Draw {
  private counter = 0;
  constructor(private readonly base: number) {}
  next(): number {
    return hashParts(this.base, this.counter++) / 0x1_0000_0000;
  }
  int(min: number, maxInclusive: number): number {
    return min + Math.floor(this.next() * (maxInclusive - min + 1));
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

function seedNumber(seed: number | string): number {
  return typeof seed === "number" ? mix32(seed >>> 0) ^ mix32(Math.floor(seed / 0x1_0000_0000)) : hashString(seed);
}

function sellerNumber(seller: number | string): number {
  return hashString(String(seller));
}

// ─── Vocabulary ─────────────────────────────────────────────────────────────────────────────────

export type CatalogCategory = { id: string; name: string };

type ProductTemplate = {
  category: CatalogCategory;
  /** The product noun, e.g. "Fone de Ouvido Bluetooth". */
  noun: string;
  brands: readonly string[];
  models: readonly string[];
  variants: readonly string[];
  /** Reference price range in BRL (whole reais). */
  price: readonly [number, number];
  weightGrams: readonly [number, number];
  /** Extra attribute (id, name, values) that matters for this kind of product. */
  extra?: { id: string; name: string; values: readonly string[] };
};

const COLORS = ["Preto", "Branco", "Azul", "Vermelho", "Cinza", "Rosa", "Verde", "Prata"] as const;

const TEMPLATES: readonly ProductTemplate[] = [
  {
    category: { id: "MLB196208", name: "Fones de Ouvido" },
    noun: "Fone de Ouvido Bluetooth",
    brands: ["JBL", "Sony", "Xiaomi", "Philips", "Edifier", "QCY"],
    models: ["Tune 510BT", "WH-CH520", "Redmi Buds 4", "TAH1205", "W600BT", "T13"],
    variants: COLORS,
    price: [89, 499],
    weightGrams: [120, 350],
    extra: { id: "CONNECTIVITY", name: "Conectividade", values: ["Bluetooth 5.0", "Bluetooth 5.3"] },
  },
  {
    category: { id: "MLB1055", name: "Celulares e Smartphones" },
    noun: "Smartphone",
    brands: ["Samsung", "Motorola", "Xiaomi", "Realme"],
    models: ["Galaxy A15 128GB", "Moto G54 256GB", "Redmi Note 13 256GB", "C67 128GB", "Galaxy A25 256GB"],
    variants: ["Preto", "Azul", "Verde", "Prata"],
    price: [899, 2499],
    weightGrams: [180, 230],
    extra: { id: "INTERNAL_MEMORY", name: "Memória interna", values: ["128 GB", "256 GB"] },
  },
  {
    category: { id: "MLB1575", name: "Panelas" },
    noun: "Kit Panelas Antiaderente",
    brands: ["Tramontina", "Brinox", "Rochedo", "Panelux"],
    models: ["Paris 5 Peças", "Turim 3 Peças", "Ceramic Life 5 Peças", "Smart Plus 10 Peças"],
    variants: ["Vermelho", "Preto", "Grafite", "Cobre"],
    price: [129, 699],
    weightGrams: [2500, 6000],
  },
  {
    category: { id: "MLB1276", name: "Esportes e Fitness" },
    noun: "Tênis de Corrida",
    brands: ["Olympikus", "Asics", "Mizuno", "Fila", "Adidas"],
    models: ["Corre 3", "Gel-Excite 10", "Wave Prophecy", "Racer", "Runfalcon 3"],
    variants: ["Tam 38", "Tam 39", "Tam 40", "Tam 41", "Tam 42", "Tam 43"],
    price: [199, 899],
    weightGrams: [500, 900],
    extra: { id: "SIZE", name: "Tamanho", values: ["38", "39", "40", "41", "42", "43"] },
  },
  {
    category: { id: "MLB1246", name: "Beleza e Cuidado Pessoal" },
    noun: "Secador de Cabelo",
    brands: ["Taiff", "Philco", "Mondial", "Gama Italy"],
    models: ["Black 2000W", "PH3700 Pink", "SC-10 1900W", "Keration 2300W"],
    variants: ["110V", "220V", "Bivolt"],
    price: [99, 599],
    weightGrams: [500, 900],
    extra: { id: "VOLTAGE", name: "Voltagem", values: ["110V", "220V", "Bivolt"] },
  },
  {
    category: { id: "MLB1648", name: "Informática" },
    noun: "Mouse Sem Fio",
    brands: ["Logitech", "Microsoft", "Multilaser", "Redragon"],
    models: ["M170", "M280", "Bluetooth Mobile", "MO307", "Cobra M711"],
    variants: COLORS,
    price: [39, 299],
    weightGrams: [80, 200],
  },
  {
    category: { id: "MLB1002", name: "Televisores" },
    noun: "Smart TV LED",
    brands: ["Samsung", "LG", "TCL", "Philco"],
    models: ['43" Full HD', '50" 4K UHD', '55" 4K QLED', '32" HD'],
    variants: ["Preto"],
    price: [1099, 3999],
    weightGrams: [5000, 16000],
  },
  {
    category: { id: "MLB1644", name: "Eletrodomésticos" },
    noun: "Air Fryer Fritadeira Elétrica",
    brands: ["Mondial", "Philco", "Britânia", "Electrolux", "Arno"],
    models: ["4L AFN-40", "PFR15PG 4,4L", "BFR38 4,2L", "EAF20 3,2L"],
    variants: ["110V", "220V"],
    price: [249, 899],
    weightGrams: [3500, 6000],
    extra: { id: "VOLTAGE", name: "Voltagem", values: ["110V", "220V"] },
  },
  {
    category: { id: "MLB1430", name: "Roupas e Calçados" },
    noun: "Camiseta Masculina Algodão",
    brands: ["Hering", "Reserva", "Malwee", "Basicamente"],
    models: ["Básica Gola Careca", "Slim Fit", "Kit 3 Unidades", "Estampada"],
    variants: ["P", "M", "G", "GG"],
    price: [39, 189],
    weightGrams: [150, 600],
    extra: { id: "SIZE", name: "Tamanho", values: ["P", "M", "G", "GG"] },
  },
  {
    category: { id: "MLB1384", name: "Bebês" },
    noun: "Mamadeira Anticólica",
    brands: ["Philips Avent", "MAM", "Lillo", "NUK"],
    models: ["260ml", "330ml", "Kit 2 Unidades 150ml"],
    variants: ["Azul", "Rosa", "Transparente"],
    price: [39, 159],
    weightGrams: [100, 400],
  },
  {
    category: { id: "MLB1499", name: "Ferramentas" },
    noun: "Furadeira de Impacto",
    brands: ["Bosch", "Makita", "Black+Decker", "Vonder"],
    models: ["GSB 550 RE", "HP1640", "TM500", "FIV 650"],
    variants: ["127V", "220V"],
    price: [179, 799],
    weightGrams: [1500, 2500],
    extra: { id: "VOLTAGE", name: "Voltagem", values: ["127V", "220V"] },
  },
  {
    category: { id: "MLB1132", name: "Brinquedos e Hobbies" },
    noun: "Blocos de Montar",
    brands: ["LEGO", "Mega Bloks", "Xalingo"],
    models: ["Classic 484 Peças", "City Caminhão", "Creator 3 em 1", "Balde 60 Peças"],
    variants: ["Multicolorido"],
    price: [79, 699],
    weightGrams: [300, 2000],
  },
  {
    category: { id: "MLB1574", name: "Casa, Móveis e Decoração" },
    noun: "Jogo de Lençol Casal",
    brands: ["Santista", "Buddemeyer", "Altenburg", "Teka"],
    models: ["400 Fios 4 Peças", "Percal 200 Fios", "Microfibra 3 Peças"],
    variants: ["Branco", "Cinza", "Azul", "Bege"],
    price: [89, 399],
    weightGrams: [800, 1800],
  },
  {
    category: { id: "MLB1367", name: "Games" },
    noun: "Controle Sem Fio",
    brands: ["Sony", "Microsoft", "8BitDo", "Multilaser"],
    models: ["DualSense PS5", "Xbox Series", "Pro 2", "Gamer JS087"],
    variants: ["Preto", "Branco", "Azul"],
    price: [149, 549],
    weightGrams: [250, 450],
  },
  {
    category: { id: "MLB1403", name: "Alimentos e Bebidas" },
    noun: "Café em Grãos",
    brands: ["Três Corações", "Melitta", "Pilão", "Orfeu"],
    models: ["Gourmet 1kg", "Tradicional 500g", "Extra Forte 1kg", "Especial 250g"],
    variants: ["Torra Média", "Torra Escura"],
    price: [29, 149],
    weightGrams: [250, 1000],
  },
];

export const CATALOG_CATEGORIES: readonly CatalogCategory[] = TEMPLATES.map((t) => t.category);

// ─── Item model ─────────────────────────────────────────────────────────────────────────────────

export type CatalogProblem =
  | "few_photos"
  | "missing_gtin"
  | "no_free_shipping"
  | "out_of_stock"
  | "overpriced"
  | "short_title";

/**
 * Designed share of items with each problem (independent draws, so an item can have several).
 * Unit tests check the generated shares stay close to these.
 */
export const PROBLEM_SHARES: Readonly<Record<CatalogProblem, number>> = {
  few_photos: 0.2,
  missing_gtin: 0.25,
  no_free_shipping: 0.3,
  out_of_stock: 0.08,
  overpriced: 0.15,
  short_title: 0.1,
};

/**
 * Marketplace flags: signals the provider raises about a listing (each sandbox renders them in its
 * own wire format; the connectors normalise them back into MarketplaceItem.tags).
 */
export type CatalogFlag = "poor_quality_picture" | "moderation_penalty" | "deboost";

/** Designed share of items with each flag (independent draws of their own). */
export const FLAG_SHARES: Readonly<Record<CatalogFlag, number>> = {
  poor_quality_picture: 0.12,
  moderation_penalty: 0.04,
  deboost: 0.06,
};

/** Share of items with no sales yet (their title can still be edited on Mercado Livre). */
export const NO_SALES_SHARE = 0.3;
/** Share of items whose quality report is "not computed yet" (Mercado Livre answers 404). */
export const QUALITY_PENDING_SHARE = 0.1;

/** Provider-neutral status; each sandbox maps it to its own vocabulary. */
export type CatalogStatus = "active" | "paused" | "closed" | "under_review";
/** Provider-neutral listing tier (ML: gold_special = Clássico, gold_pro = Premium, free). */
export type CatalogTier = "classic" | "premium" | "free";

export type CatalogAttribute = { id: string; name: string; value: string | null };

export type CatalogItem = {
  seller: string;
  index: number;
  title: string;
  category: CatalogCategory;
  brand: string;
  model: string;
  variant: string;
  description: string;
  /** Price the seller asks, in cents (BRL). */
  priceCents: number;
  /** Market reference for the same product, in cents: what a benchmark would suggest. */
  referencePriceCents: number;
  currency: "BRL";
  stock: number;
  soldQuantity: number;
  pictureCount: number;
  /** EAN-13 (Brazilian prefix 789/790), or null when the seller never filled it. */
  gtin: string | null;
  sku: string;
  freeShipping: boolean;
  tier: CatalogTier;
  status: CatalogStatus;
  /** Why a paused item is paused (ML `sub_status`), else null. */
  subStatus: "out_of_stock" | null;
  condition: "new" | "used";
  weightGrams: number;
  attributes: CatalogAttribute[];
  hasVariations: boolean;
  catalogListing: boolean;
  /** First day the item existed (YYYY-MM-DD, UTC); visits and sales exist from this day on. */
  createdDay: string;
  /** Mean daily visits before weekly and random variation. */
  baseDailyVisits: number;
  /** Whether the provider has computed the quality report yet. */
  qualityComputed: boolean;
  problems: CatalogProblem[];
  flags: CatalogFlag[];
};

export type CatalogOptions = { seed: number | string; size?: number };

/**
 * Items are created over roughly two years before this anchor, so every item already exists
 * whatever "today" a test clock or a real machine has.
 */
const CREATED_ANCHOR_MS = Date.UTC(2025, 0, 1);
const DAY_MS = 86_400_000;

function toDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function ean13(draw: Draw): string {
  let digits = draw.chance(0.8) ? "789" : "790";
  while (digits.length < 12) digits += String(draw.int(0, 9));
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(digits[i]) * (i % 2 === 0 ? 1 : 3);
  return digits + String((10 - (sum % 10)) % 10);
}

function compactWords(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, "");
}

/** Words of a text and pairs of adjacent words, compacted ("128GB", "tam", "38", "tam38"). */
function statedTokens(text: string): Set<string> {
  const words = text.split(/\s+/).map(compactWords);
  return new Set([...words, ...words.slice(1).map((w, i) => words[i] + w)]);
}

/** Rounds a BRL price to the ",90" endings sellers use, in cents. */
function retailCents(reais: number): number {
  return Math.max(990, Math.round(reais) * 100 - 10);
}

// Salts keep each group of draws independent of the others (adding a field never reshuffles all).
const SALT = { base: 1, problems: 2, status: 3, daily: 4, quality: 5, flags: 6 } as const;

export class SandboxCatalog {
  readonly seed: number;
  readonly size: number;

  constructor(options: CatalogOptions) {
    this.seed = seedNumber(options.seed);
    this.size = resolveCatalogSize(options.size);
  }

  private draw(seller: number | string, index: number, salt: number, extra = 0): Draw {
    return new Draw(hashParts(this.seed, sellerNumber(seller), index, salt, extra));
  }

  has(index: number): boolean {
    return Number.isInteger(index) && index >= 0 && index < this.size;
  }

  /** Item `index` (0-based) of `seller`; throws RangeError outside [0, size). */
  item(seller: number | string, index: number): CatalogItem {
    if (!this.has(index)) throw new RangeError(`catalog index ${index} outside [0, ${this.size})`);
    const d = this.draw(seller, index, SALT.base);
    const p = this.draw(seller, index, SALT.problems);
    const s = this.draw(seller, index, SALT.status);

    const problems: CatalogProblem[] = [];
    for (const key of Object.keys(PROBLEM_SHARES) as CatalogProblem[]) {
      if (p.chance(PROBLEM_SHARES[key])) problems.push(key);
    }
    const has = (problem: CatalogProblem) => problems.includes(problem);

    const template = d.pick(TEMPLATES);
    const brand = d.pick(template.brands);
    const model = d.pick(template.models);
    const variant = d.pick(template.variants);
    const title = has("short_title") ? `${template.noun.split(" ")[0]} ${brand}` : `${template.noun} ${brand} ${model} ${variant}`;

    const [lo, hi] = template.price;
    const referenceReais = lo + d.next() * (hi - lo);
    const referencePriceCents = retailCents(referenceReais);
    // Overpriced: 15–45 % above the reference; otherwise within −10 % … +8 % of it.
    const factor = has("overpriced") ? 1.15 + d.next() * 0.3 : 0.9 + d.next() * 0.18;
    const priceCents = retailCents(referenceReais * factor);

    const soldQuantity = d.chance(NO_SALES_SHARE) ? 0 : Math.floor(Math.exp(d.next() * 7)); // 1 … ~1100
    const stock = has("out_of_stock") ? 0 : d.int(1, d.chance(0.2) ? 500 : 60);
    const pictureCount = has("few_photos") ? d.int(1, 2) : d.int(3, 10);
    const gtin = has("missing_gtin") ? null : ean13(d);
    const tier: CatalogTier = d.chance(0.45) ? "premium" : d.chance(0.9) ? "classic" : "free";

    let status: CatalogStatus = "active";
    let subStatus: CatalogItem["subStatus"] = null;
    if (stock === 0) {
      // Marketplaces pause a listing by themselves when it runs out of stock.
      status = "paused";
      subStatus = "out_of_stock";
    } else {
      const r = s.next();
      if (r < 0.05) status = "paused";
      else if (r < 0.07) status = "closed";
      else if (r < 0.08) status = "under_review";
    }

    const weightGrams = d.int(template.weightGrams[0], template.weightGrams[1]);
    const attributes: CatalogAttribute[] = [
      { id: "BRAND", name: "Marca", value: brand },
      { id: "MODEL", name: "Modelo", value: model },
      { id: "GTIN", name: "Código universal de produto", value: gtin },
      { id: "ITEM_CONDITION", name: "Condição do item", value: "Novo" },
      { id: "PACKAGE_WEIGHT", name: "Peso da embalagem", value: `${weightGrams} g` },
    ];
    if (template.extra) {
      // The value the variant or model already states ("Tam 42" → 42, "Galaxy A15 128GB" → 128 GB),
      // so an item never contradicts itself; the draw stays so later draws keep their values.
      const drawn = d.pick(template.extra.values);
      const stated = statedTokens(`${model} ${variant}`);
      const value = template.extra.values.find((v) => stated.has(compactWords(v))) ?? drawn;
      attributes.push({ id: template.extra.id, name: template.extra.name, value });
    }
    if (template.variants.length > 1 && !template.extra) attributes.push({ id: "COLOR", name: "Cor", value: variant });

    const ageDays = d.int(30, 700);
    const createdDay = toDay(CREATED_ANCHOR_MS - ageDays * DAY_MS);
    // Heavy-tailed popularity: most items get a few visits a day, a few get hundreds.
    const baseDailyVisits = Math.round(Math.exp(d.next() * 5.5) * 10) / 10; // 1 … ~245
    const sku = `SKU-${template.category.id.slice(3)}-${String(index).padStart(6, "0")}`;
    const qualityComputed = !this.draw(seller, index, SALT.quality).chance(QUALITY_PENDING_SHARE);
    const f = this.draw(seller, index, SALT.flags);
    const flags = (Object.keys(FLAG_SHARES) as CatalogFlag[]).filter((flag) => f.chance(FLAG_SHARES[flag]));

    const description =
      `${template.noun} ${brand} ${model}.\n\n` +
      `Produto novo, com nota fiscal e garantia de 90 dias. Variação: ${variant}.\n` +
      (gtin ? `Código de barras (EAN): ${gtin}.\n` : "") +
      `Enviamos em até 24 horas úteis após a confirmação do pagamento.`;

    return {
      seller: String(seller),
      index,
      title,
      category: template.category,
      brand,
      model,
      variant,
      description,
      priceCents,
      referencePriceCents,
      currency: "BRL",
      stock,
      soldQuantity,
      pictureCount,
      gtin,
      sku,
      freeShipping: !has("no_free_shipping"),
      tier,
      status,
      subStatus,
      condition: "new",
      weightGrams,
      attributes,
      hasVariations: template.variants.length > 1 && d.chance(0.15),
      catalogListing: d.chance(0.1),
      createdDay,
      baseDailyVisits,
      qualityComputed,
      problems,
      flags,
    };
  }

  /** Lazily walks a seller's items (nothing is held in memory). */
  *items(seller: number | string, from = 0, to = this.size): Generator<CatalogItem> {
    for (let i = Math.max(0, from); i < Math.min(to, this.size); i++) yield this.item(seller, i);
  }

  /**
   * Visits and sales of one item on one UTC day (YYYY-MM-DD). Zero before the item existed. Pass
   * the item when already computed, to avoid regenerating it.
   */
  daily(seller: number | string, index: number, day: string, item: CatalogItem = this.item(seller, index)): { visits: number; sales: number } {
    const dayMs = Date.parse(`${day}T00:00:00Z`);
    if (!Number.isFinite(dayMs)) throw new RangeError(`invalid day ${day}`);
    if (day < item.createdDay) return { visits: 0, sales: 0 };
    const d = this.draw(seller, index, SALT.daily, Math.floor(dayMs / DAY_MS));
    const weekday = new Date(dayMs).getUTCDay();
    // Brazilian e-commerce peaks early in the week and dips on Saturdays.
    const weekly = [0.9, 1.15, 1.1, 1.05, 1.0, 0.95, 0.8][weekday]!;
    const noise = 0.6 + d.next() * 0.8;
    const visits = item.status === "closed" ? 0 : Math.max(0, Math.round(item.baseDailyVisits * weekly * noise));
    // Problems cost conversion; out of stock sells nothing.
    let conversion = 0.03;
    for (const problem of item.problems) conversion *= problem === "out_of_stock" ? 0 : 0.75;
    if (item.status !== "active") conversion = 0;
    let sales = 0;
    for (let v = 0; v < Math.min(visits, 400); v++) if (d.next() < conversion) sales++;
    return { visits, sales };
  }
}

export function createSandboxCatalog(options: CatalogOptions): SandboxCatalog {
  return new SandboxCatalog(options);
}
