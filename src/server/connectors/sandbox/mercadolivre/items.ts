import type { CatalogItem, CatalogStatus, SandboxCatalog } from "../catalog";

/** The sandbox's seller accounts, offered on the consent page. */
export const SANDBOX_SELLERS = [
  { slot: 1, id: 310_000_001, nickname: "LOJA_DEMO_SS", firstName: "Loja", lastName: "Demo", email: "loja.demo@sandbox.invalid" },
  { slot: 2, id: 310_000_002, nickname: "CASA_COZINHA_SS", firstName: "Casa", lastName: "e Cozinha", email: "casa.cozinha@sandbox.invalid" },
  { slot: 3, id: 310_000_003, nickname: "MEGA_ELETRO_SS", firstName: "Mega", lastName: "Eletro", email: "mega.eletro@sandbox.invalid" },
] as const;

export type SandboxSeller = (typeof SANDBOX_SELLERS)[number];

export function sellerById(id: number): SandboxSeller | undefined {
  return SANDBOX_SELLERS.find((s) => s.id === id);
}

/**
 * Item ids look like real ones (MLB + 10 digits) and encode (seller slot, catalog index), so any id
 * resolves to its item without a lookup table — also after a restart.
 */
export function itemId(seller: SandboxSeller, index: number): string {
  return `MLB${seller.slot}${String(index).padStart(9, "0")}`;
}

export function parseItemId(id: string, catalog: SandboxCatalog): { seller: SandboxSeller; index: number } | null {
  const match = /^MLB([1-9])(\d{9})$/.exec(id);
  if (!match) return null;
  const seller = SANDBOX_SELLERS.find((s) => s.slot === Number(match[1]));
  const index = Number(match[2]);
  if (!seller || !catalog.has(index)) return null;
  return { seller, index };
}

/** Changes made through the API (PUT /items) or the control endpoints, layered over the catalog. */
export type ItemOverlay = {
  priceCents?: number;
  stock?: number;
  status?: CatalogStatus;
  subStatus?: "out_of_stock" | null;
  title?: string;
  pictureUrls?: string[];
  soldQuantity?: number;
  /** Attribute values set through PUT /items (by attribute id; GTIN included). */
  attributes?: Record<string, string | null>;
  freeShipping?: boolean;
  /** plain_text set through PUT /items/{id}/description. */
  description?: string;
  lastUpdated?: string;
};

/** Names of attributes a seller may add that the catalog item did not have. */
const ATTRIBUTE_NAMES: Record<string, string> = {
  BRAND: "Marca",
  MODEL: "Modelo",
  LINE: "Linha",
  GTIN: "Código universal de produto",
  COLOR: "Cor",
  SIZE: "Tamanho",
  VOLTAGE: "Voltagem",
  MATERIAL: "Material",
  ITEM_CONDITION: "Condição do item",
  PACKAGE_WEIGHT: "Peso da embalagem",
};

function mergeAttributes(base: CatalogItem["attributes"], changes: Record<string, string | null> | undefined) {
  if (!changes) return base;
  const merged = base.map((a) => (a.id in changes ? { ...a, value: changes[a.id]! } : a));
  for (const [id, value] of Object.entries(changes)) {
    if (!base.some((a) => a.id === id)) merged.push({ id, name: ATTRIBUTE_NAMES[id] ?? id, value });
  }
  return merged;
}

export type SandboxItem = CatalogItem & { id: string; sellerId: number; pictureUrls: string[]; lastUpdated: string };

export function pictureUrlsFor(item: CatalogItem, id: string): string[] {
  return Array.from({ length: item.pictureCount }, (_, n) => `https://http2.mlstatic.com/D_NQ_NP_${id.slice(3)}-${n + 1}-O.webp`);
}

export function mergeItem(catalogItem: CatalogItem, seller: SandboxSeller, overlay: ItemOverlay | undefined): SandboxItem {
  const id = itemId(seller, catalogItem.index);
  const pictureUrls = overlay?.pictureUrls ?? pictureUrlsFor(catalogItem, id);
  const attributes = mergeAttributes(catalogItem.attributes, overlay?.attributes);
  const gtin = overlay?.attributes && "GTIN" in overlay.attributes ? overlay.attributes.GTIN || null : catalogItem.gtin;
  return {
    ...catalogItem,
    attributes,
    gtin,
    freeShipping: overlay?.freeShipping ?? catalogItem.freeShipping,
    description: overlay?.description ?? catalogItem.description,
    // New pictures clear the poor-quality flag (Mercado Livre re-moderates them).
    flags: overlay?.pictureUrls ? catalogItem.flags.filter((f) => f !== "poor_quality_picture") : catalogItem.flags,
    id,
    sellerId: seller.id,
    title: overlay?.title ?? catalogItem.title,
    priceCents: overlay?.priceCents ?? catalogItem.priceCents,
    stock: overlay?.stock ?? catalogItem.stock,
    status: overlay?.status ?? catalogItem.status,
    subStatus: overlay?.subStatus !== undefined ? overlay.subStatus : catalogItem.subStatus,
    soldQuantity: overlay?.soldQuantity ?? catalogItem.soldQuantity,
    pictureCount: pictureUrls.length,
    pictureUrls,
    lastUpdated: overlay?.lastUpdated ?? `${catalogItem.createdDay}T12:00:00.000Z`,
  };
}

const LISTING_TYPE = { classic: "gold_special", premium: "gold_pro", free: "free" } as const;

/** Mercado Livre's item resource (the fields a seller integration reads). */
export function toMlItem(item: SandboxItem) {
  const slug = item.title
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/(^-|-$)/g, "");
  return {
    id: item.id,
    site_id: "MLB",
    title: item.title,
    seller_id: item.sellerId,
    category_id: item.category.id,
    price: item.priceCents / 100,
    base_price: item.priceCents / 100,
    original_price: null,
    currency_id: item.currency,
    initial_quantity: item.stock + item.soldQuantity,
    available_quantity: item.stock,
    sold_quantity: item.soldQuantity,
    buying_mode: "buy_it_now",
    listing_type_id: LISTING_TYPE[item.tier],
    condition: item.condition,
    permalink: `https://produto.mercadolivre.com.br/MLB-${item.id.slice(3)}-${slug}-_JM`,
    thumbnail: item.pictureUrls[0] ?? null,
    pictures: item.pictureUrls.map((url, n) => ({
      id: `${item.id.slice(3)}-${n + 1}`,
      url: url.replace("https://", "http://"),
      secure_url: url,
      size: "500x500",
      max_size: "1200x1200",
    })),
    shipping: { mode: "me2", free_shipping: item.freeShipping, logistic_type: "drop_off", local_pick_up: false, tags: [] },
    attributes: item.attributes.map((a) => ({ id: a.id, name: a.name, value_id: null, value_name: a.value })),
    variations: item.hasVariations ? [{ id: Number(`1${item.id.slice(4)}`), price: item.priceCents / 100, available_quantity: item.stock }] : [],
    status: item.status,
    sub_status: subStatusOf(item),
    tags: tagsOf(item),
    catalog_listing: item.catalogListing,
    seller_custom_field: item.sku,
    date_created: `${item.createdDay}T12:00:00.000Z`,
    last_updated: item.lastUpdated,
    health: null,
  };
}

/**
 * ML's moderation vocabulary: `poor_quality_thumbnail` (pictures moderated for quality) and
 * `moderation_penalty` (an active item with a penalty) are item tags. Sandbox rule: a deboosted
 * item (losing exposure without an infraction) is an active item with sub_status "warning".
 */
function tagsOf(item: SandboxItem): string[] {
  const tags = ["immediate_payment"];
  if (item.flags.includes("poor_quality_picture")) tags.unshift("poor_quality_thumbnail");
  else if (item.soldQuantity > 0) tags.unshift("good_quality_thumbnail");
  if (item.flags.includes("moderation_penalty")) tags.push("moderation_penalty");
  return tags;
}

function subStatusOf(item: SandboxItem): string[] {
  const out: string[] = item.subStatus ? [item.subStatus] : [];
  if (item.flags.includes("deboost") && item.status === "active") out.push("warning");
  return out;
}

/** Problems derived from the item's current state, so edits through the API change the quality report. */
export function currentProblems(item: SandboxItem) {
  return {
    pictures: item.pictureCount < 3,
    gtin: item.gtin === null,
    title: item.title.split(/\s+/).length < 4,
    freeShipping: !item.freeShipping,
    stock: item.stock === 0,
    price: item.priceCents > item.referencePriceCents * 1.1,
  };
}

type Rule = { key: string; mode: "OPPORTUNITY" | "WARNING"; done: boolean; progress: number; title: string };

/** GET /item/{id}/performance body: buckets → variables → rules, score and level. */
export function toPerformance(item: SandboxItem, calculatedAt: string) {
  const p = currentProblems(item);
  const characteristics: Array<{ key: string; title: string; rules: Rule[] }> = [
    {
      key: "PICTURES",
      title: "Fotos",
      rules: [{ key: "PICTURES_QUANTITY", mode: "OPPORTUNITY", done: !p.pictures, progress: Math.min(1, item.pictureCount / 3), title: "Adicione pelo menos 3 fotos" }],
    },
    {
      key: "TECHNICAL_SPECIFICATIONS",
      title: "Ficha técnica",
      rules: [{ key: "UNIVERSAL_IDENTIFIER", mode: "OPPORTUNITY", done: !p.gtin, progress: p.gtin ? 0 : 1, title: "Informe o código universal (GTIN)" }],
    },
    {
      key: "TITLE",
      title: "Título",
      rules: [{ key: "TITLE_QUALITY", mode: "OPPORTUNITY", done: !p.title, progress: p.title ? 0.3 : 1, title: "Inclua marca, modelo e variação no título" }],
    },
  ];
  const offer: Array<{ key: string; title: string; rules: Rule[] }> = [
    {
      key: "SHIPPING",
      title: "Envio",
      rules: [{ key: "FREE_SHIPPING", mode: "OPPORTUNITY", done: !p.freeShipping, progress: p.freeShipping ? 0 : 1, title: "Ofereça frete grátis" }],
    },
    {
      key: "STOCK",
      title: "Estoque",
      rules: [{ key: "STOCK_AVAILABLE", mode: "WARNING", done: !p.stock, progress: p.stock ? 0 : 1, title: "Reponha o estoque" }],
    },
    {
      key: "PRICE",
      title: "Preço",
      rules: [{ key: "COMPETITIVE_PRICE", mode: "WARNING", done: !p.price, progress: p.price ? 0.5 : 1, title: "Seu preço está acima do mercado" }],
    },
  ];
  const weights: Record<string, number> = {
    PICTURES_QUANTITY: 20,
    UNIVERSAL_IDENTIFIER: 15,
    TITLE_QUALITY: 15,
    FREE_SHIPPING: 20,
    STOCK_AVAILABLE: 15,
    COMPETITIVE_PRICE: 15,
  };
  let score = 0;
  const variables = (groups: typeof characteristics) =>
    groups.map((v) => {
      const vScore = Math.round((v.rules.filter((r) => r.done).length / v.rules.length) * 100);
      for (const r of v.rules) score += (weights[r.key] ?? 0) * (r.done ? 1 : r.progress * 0.5);
      return {
        key: v.key,
        type: "VARIABLE",
        status: v.rules.every((r) => r.done) ? "COMPLETED" : "PENDING",
        score: vScore,
        title: v.title,
        rules: v.rules.map((r) => ({
          key: r.key,
          type: "RULE",
          status: r.done ? "COMPLETED" : "PENDING",
          progress: Math.round(r.progress * 100) / 100,
          mode: r.mode,
          wordings: { title: r.title, label: r.done ? "Feito" : "Melhorar", link: "" },
        })),
      };
    });
  const buckets = [
    { key: "CHARACTERISTICS", title: "Características do produto", variables: variables(characteristics) },
    { key: "OFFER", title: "Condições da oferta", variables: variables(offer) },
  ].map((b) => ({
    key: b.key,
    type: "BUCKET",
    status: b.variables.every((v) => v.status === "COMPLETED") ? "COMPLETED" : "PENDING",
    score: Math.round(b.variables.reduce((acc, v) => acc + v.score, 0) / b.variables.length),
    title: b.title,
    calculated_at: calculatedAt,
    variables: b.variables,
  }));
  const rounded = Math.round(score);
  const level = rounded >= 80 ? "Profissional" : rounded >= 50 ? "Satisfatória" : "Básica";
  return {
    entity_type: "ITEM",
    entity_id: item.id,
    score: rounded,
    level,
    level_wording: `Qualidade ${level.toLowerCase()}`,
    calculated_at: calculatedAt,
    buckets,
  };
}
