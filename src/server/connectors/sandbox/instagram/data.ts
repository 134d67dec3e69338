import { mix32 } from "../catalog";

/**
 * Deterministic demo data of the Instagram sandbox: its accounts, their historical posts (with
 * lifetime metrics and audience comments) and their daily account metrics. Pure functions of the
 * account id and the time, so the demo seed can store rows that the sandbox's read endpoints (and
 * therefore later syncs) agree with.
 *
 * Historical posts sit on a fixed grid of slots (one every POST_EVERY_MS since the epoch): a post's
 * id, caption, publish time and metrics depend only on its slot, so asking again tomorrow returns
 * the same posts (plus the slot that came into the window) instead of shifted copies.
 */
export type SandboxInstagramAccount = {
  /** Instagram professional account id (the ig-user-id in Graph paths). */
  id: string;
  username: string;
  name: string;
  /** Followers at the epoch of the growth curve; see followersOn. */
  baseFollowers: number;
};

export const SANDBOX_INSTAGRAM_ACCOUNTS: readonly SandboxInstagramAccount[] = [
  { id: "17841400000000001", username: "lojademo", name: "Loja Demo", baseFollowers: 12_000 },
  { id: "17841400000000002", username: "casadaana.store", name: "Casa da Ana", baseFollowers: 4_300 },
];

export function sandboxInstagramAccount(id: string): SandboxInstagramAccount {
  const known = SANDBOX_INSTAGRAM_ACCOUNTS.find((a) => a.id === id);
  if (known) return known;
  // Accounts minted through the control endpoint (benchmarks) get a stable made-up profile.
  const h = hashOf(id);
  return { id, username: `conta_${id.slice(-6)}`, name: `Conta ${id.slice(-6)}`, baseFollowers: 500 + (h % 5_000) };
}

const DAY_MS = 86_400_000;
const POST_EVERY_MS = 3 * DAY_MS;
const HISTORY_POSTS = 20;
/** Day 0 of the followers curve (2026-01-01). */
const GROWTH_EPOCH_DAY = Math.floor(Date.parse("2026-01-01T00:00:00Z") / DAY_MS);

function hashOf(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  return mix32(h >>> 0);
}

function hashParts(...parts: Array<number | string>): number {
  let h = 0x9e3779b9;
  for (const p of parts) h = mix32((h ^ (typeof p === "string" ? hashOf(p) : mix32((p | 0) + 0x7f4a7c15))) + 0x165667b1);
  return h >>> 0;
}

/** Uniform integer in [min, max] for a coordinate. */
function between(min: number, max: number, ...parts: Array<number | string>): number {
  return min + (hashParts(...parts) % (max - min + 1));
}

const PRODUCTS = [
  "nossa nova coleção de canecas artesanais",
  "o kit de skincare mais pedido da loja",
  "a mochila impermeável que voltou ao estoque",
  "os fones bluetooth com cancelamento de ruído",
  "a luminária de mesa em madeira",
  "o jogo de panelas antiaderente",
  "a garrafa térmica de 1 litro",
  "as camisetas de algodão orgânico",
  "o organizador de gavetas em bambu",
  "a cafeteira italiana clássica",
];
const OPENERS = ["Chegou", "Olha só", "Novidade:", "Promoção relâmpago:", "Vocês pediram e voltou:", "Bastidores:"];
const CLOSERS = [
  "Frete grátis para todo o Brasil nesta semana.",
  "Link na bio!",
  "Conta pra gente nos comentários qual cor você prefere.",
  "Estoque limitado, corre!",
  "Parcelamos em até 10x sem juros.",
];
const TAGS = ["#lojademo", "#achadinhos", "#novidade", "#promo", "#feitoamao", "#casaedecoracao", "#presente"];

const COMMENTERS = ["mariana.souza", "joao_pedro", "carla.mendes", "rafa.oliveira", "bia_santos", "lucas.ferreira", "ana.clara", "pedro.h"];
const COMMENT_TEXTS = [
  "Qual o preço?",
  "Amei! Tem em outras cores?",
  "Entrega para Recife?",
  "Chegou o meu ontem, super recomendo 😍",
  "Tem desconto no Pix?",
  "Quero!",
  "Qual o prazo de entrega para SP?",
  "Produto lindo demais",
];

export type SandboxHistoryPost = {
  externalId: string;
  caption: string;
  permalink: string;
  publishedAt: Date;
  mediaType: "IMAGE" | "VIDEO" | "CAROUSEL_ALBUM";
  metrics: { views: number; reach: number; likes: number; comments: number; shares: number; saves: number };
  comments: Array<{ externalId: string; text: string; username: string; authorExternalId: string; createdAt: Date }>;
};

export type SandboxAccountDay = {
  date: string;
  followers: number;
  /** Followers gained that day (follower_count). */
  newFollowers: number;
  views: number;
  reach: number;
  profileViews: number;
  engagements: number;
};

function shortcode(n: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  let out = "";
  let h = n >>> 0;
  for (let i = 0; i < 11; i++) {
    out += alphabet[h % 64];
    h = mix32(h + i);
  }
  return out;
}

/** Permalink of a post, the way instagram.com shapes them. */
export function sandboxPermalink(mediaId: string, reel: boolean): string {
  return `https://www.instagram.com/${reel ? "reel" : "p"}/${shortcode(hashOf(mediaId))}/`;
}

/** Media id of a historical slot: 17 digits like Graph ids, unique per account and slot. */
function historyMediaId(accountId: string, slot: number): string {
  return `18${String(hashParts(accountId, "account") % 1000).padStart(3, "0")}${String(slot).padStart(12, "0")}`;
}

/** Parses a historical media id back to its slot (null for ids of posts published in the sandbox). */
export function historySlotOf(accountId: string, mediaId: string): number | null {
  if (!/^18\d{15}$/.test(mediaId)) return null;
  const slot = Number(mediaId.slice(5));
  return historyMediaId(accountId, slot) === mediaId ? slot : null;
}

export function historyPost(accountId: string, slot: number): SandboxHistoryPost {
  const id = historyMediaId(accountId, slot);
  const publishedAt = new Date(slot * POST_EVERY_MS + between(10, 21, accountId, slot, "hour") * 3_600_000 + between(0, 59, accountId, slot, "min") * 60_000);
  const kind = between(0, 9, accountId, slot, "kind");
  const mediaType = kind < 6 ? "IMAGE" : kind < 8 ? "VIDEO" : "CAROUSEL_ALBUM";
  const product = PRODUCTS[between(0, PRODUCTS.length - 1, accountId, slot, "product")]!;
  const opener = OPENERS[between(0, OPENERS.length - 1, accountId, slot, "opener")]!;
  const closer = CLOSERS[between(0, CLOSERS.length - 1, accountId, slot, "closer")]!;
  const tags = [TAGS[between(0, TAGS.length - 1, accountId, slot, "t1")]!, TAGS[between(0, TAGS.length - 1, accountId, slot, "t2")]!];
  const caption = `${opener} ${product}. ${closer}\n\n${[...new Set(tags)].join(" ")}`;
  const reach = between(400, 6_000, accountId, slot, "reach") * (mediaType === "VIDEO" ? 2 : 1);
  const views = Math.round(reach * (1.2 + between(0, 80, accountId, slot, "views") / 100));
  const likes = Math.round(reach * between(3, 12, accountId, slot, "likes") / 100);
  const commentCount = between(1, 4, accountId, slot, "comments");
  const comments = Array.from({ length: commentCount }, (_, i) => {
    const username = COMMENTERS[between(0, COMMENTERS.length - 1, accountId, slot, i, "who")]!;
    return {
      externalId: `17${String(hashParts(accountId, "account") % 1000).padStart(3, "0")}${String(slot).padStart(10, "0")}${String(i).padStart(2, "0")}`,
      text: COMMENT_TEXTS[between(0, COMMENT_TEXTS.length - 1, accountId, slot, i, "text")]!,
      username,
      authorExternalId: String(1784150000000000 + (hashOf(username) % 1_000_000)),
      createdAt: new Date(publishedAt.getTime() + between(5, 2_000, accountId, slot, i, "after") * 60_000),
    };
  });
  return {
    externalId: id,
    caption,
    permalink: sandboxPermalink(id, mediaType === "VIDEO"),
    publishedAt,
    mediaType,
    metrics: {
      views,
      reach,
      likes,
      comments: commentCount,
      shares: Math.round(likes * between(2, 15, accountId, slot, "shares") / 100),
      saves: Math.round(likes * between(5, 25, accountId, slot, "saves") / 100),
    },
    comments,
  };
}

/** Slots of the historical posts visible at `now`, newest first (~20 posts over the last 60 days). */
export function historySlots(now: number): number[] {
  // The current slot is skipped until its post time has passed; take one extra and filter.
  const latest = Math.floor(now / POST_EVERY_MS);
  return Array.from({ length: HISTORY_POSTS + 1 }, (_, i) => latest - i);
}

export function followersOn(accountId: string, epochDay: number): number {
  const base = sandboxInstagramAccount(accountId).baseFollowers;
  const days = Math.max(0, epochDay - GROWTH_EPOCH_DAY);
  // Steady growth with a small wobble per day; never below the base.
  return base + days * 9 + (hashParts(accountId, epochDay, "followers") % 40);
}

export function accountDay(accountId: string, epochDay: number): SandboxAccountDay {
  const weekday = new Date(epochDay * DAY_MS).getUTCDay();
  const weekend = weekday === 0 || weekday === 6 ? 1.25 : 1;
  const reach = Math.round(between(600, 2_400, accountId, epochDay, "reach") * weekend);
  const followers = followersOn(accountId, epochDay);
  return {
    date: new Date(epochDay * DAY_MS).toISOString().slice(0, 10),
    followers,
    newFollowers: followers - followersOn(accountId, epochDay - 1),
    views: Math.round(reach * (1.5 + between(0, 100, accountId, epochDay, "views") / 100)),
    reach,
    profileViews: Math.round(reach * between(4, 12, accountId, epochDay, "profile") / 100),
    engagements: Math.round(reach * between(3, 9, accountId, epochDay, "engaged") / 100),
  };
}

/**
 * What the sandbox serves for an account at `now`: ~20 historical posts of the last 60 days
 * (newest first, with lifetime metrics and audience comments) and 90 days of daily account metrics
 * (oldest first, ending yesterday, UTC).
 */
export function instagramSandboxHistory(accountExternalId: string, now: Date): { posts: SandboxHistoryPost[]; days: SandboxAccountDay[] } {
  const ms = now.getTime();
  const posts = historySlots(ms)
    .map((slot) => historyPost(accountExternalId, slot))
    .filter((p) => p.publishedAt.getTime() <= ms)
    .slice(0, HISTORY_POSTS)
    .map((p) => {
      // A recent post's later comments have not been written yet.
      const comments = p.comments.filter((c) => c.createdAt.getTime() <= ms);
      return { ...p, comments, metrics: { ...p.metrics, comments: comments.length } };
    });
  const today = Math.floor(ms / DAY_MS);
  const days = Array.from({ length: 90 }, (_, i) => accountDay(accountExternalId, today - 90 + i));
  return { posts, days };
}
