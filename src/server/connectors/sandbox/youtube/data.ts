import { createHash } from "node:crypto";

/**
 * Deterministic demo data of the YouTube sandbox: two channels and their history. Everything is a
 * pure function of (channel, absolute day), never of "when the sandbox started", so the demo seed
 * (which stores rows at seed time) and later syncs against the sandbox read the same numbers:
 * videos sit on a fixed calendar (a new one every few days), lifetime metrics only grow with age,
 * and daily analytics are keyed by the date itself.
 */
export type SandboxYouTubeAccount = {
  /** Channel id (UC + 22 characters), the connector's externalAccountId. */
  id: string;
  title: string;
  handle: string;
  description: string;
  /** Google account e-mail shown on the consent page. */
  email: string;
  /** Subscribers on HISTORY_EPOCH; the daily net gains are added from there. */
  baseSubscribers: number;
  /** Scale of the daily views. */
  dailyViews: number;
};

export const SANDBOX_YOUTUBE_ACCOUNTS: readonly SandboxYouTubeAccount[] = [
  {
    id: "UCLojaDemoSuperSeller001",
    title: "Loja Demo",
    handle: "@lojademo",
    description: "Achados de casa e cozinha com frete grátis. Vídeos novos toda semana.",
    email: "lojademo.sandbox@gmail.com",
    baseSubscribers: 12_400,
    dailyViews: 1_800,
  },
  {
    id: "UCAtelieDaMariaSandbx002",
    title: "Ateliê da Maria",
    handle: "@ateliedamaria",
    description: "Bolsas e acessórios feitos à mão em Belo Horizonte.",
    email: "ateliedamaria.sandbox@gmail.com",
    baseSubscribers: 3_150,
    dailyViews: 420,
  },
];

export function youtubeAccountById(id: string): SandboxYouTubeAccount | undefined {
  return SANDBOX_YOUTUBE_ACCOUNTS.find((a) => a.id === id);
}

/** The channel's uploads playlist, as contentDetails.relatedPlaylists.uploads names it. */
export function uploadsPlaylistId(channelId: string): string {
  return `UU${channelId.slice(2)}`;
}

const DAY_MS = 86_400_000;
/** Day zero of the generated history (subscribers walk forward from here). */
const HISTORY_EPOCH = Date.UTC(2025, 0, 1);
/** A video every POST_EVERY_DAYS days (its hour varies), so ~20 fall in the last 60 days. */
const POST_EVERY_DAYS = 3;
const HISTORY_WINDOW_DAYS = 60;

/** 0 ≤ n < 1, stable for a key. */
function unit(key: string): number {
  return createHash("sha256").update(key).digest().readUInt32BE(0) / 2 ** 32;
}

function int(key: string, min: number, max: number): number {
  return min + Math.floor(unit(key) * (max - min + 1));
}

function idChars(key: string, length: number): string {
  return createHash("sha256").update(key).digest("base64url").slice(0, length);
}

export function historyVideoId(channelId: string, slot: number): string {
  return idChars(`video:${channelId}:${slot}`, 11);
}

const PRODUCTS = [
  "Jogo de panelas antiaderente",
  "Garrafa térmica 1 litro",
  "Organizador de gaveta",
  "Kit de potes herméticos",
  "Luminária de mesa LED",
  "Tapete de banheiro antiderrapante",
  "Mixer de mão 3 em 1",
  "Bolsa de palha artesanal",
  "Necessaire de couro",
  "Conjunto de taças de vidro",
  "Umidificador de ar",
  "Escorredor de louça inox",
];

const FORMATS = [
  (p: string) => ({ title: `${p}: vale a pena? Review sincero`, description: `Testei o ${p.toLowerCase()} por uma semana e conto tudo: pontos fortes, defeitos e se vale o preço.` }),
  (p: string) => ({ title: `Unboxing: ${p}`, description: `Abrindo o ${p.toLowerCase()} que chegou hoje. Link na descrição e cupom para os inscritos.` }),
  (p: string) => ({ title: `3 jeitos de usar ${p.toLowerCase()}`, description: `Dicas rápidas para aproveitar melhor o ${p.toLowerCase()} no dia a dia.` }),
  (p: string) => ({ title: `${p} em promoção esta semana`, description: `Separei as condições da semana para o ${p.toLowerCase()}. Corre que o estoque é limitado!` }),
];

const HASHTAGS = ["#achadinhos", "#casa", "#review", "#promoção", "#feitoamão", "#cozinha"];

const COMMENTERS = [
  "Ana Souza",
  "Carlos Pereira",
  "Juliana Lima",
  "Rafael Costa",
  "Patrícia Almeida",
  "Bruno Oliveira",
  "Fernanda Ribeiro",
  "Lucas Martins",
  "Camila Rocha",
  "Thiago Carvalho",
];

const COMMENT_TEXTS = [
  "Chegou certinho aqui em casa, recomendo!",
  "Qual o prazo de entrega para Recife?",
  "Tem na cor preta?",
  "Comprei depois desse vídeo e amei.",
  "Serve para fogão de indução?",
  "Muito bom o vídeo, explicou tudo.",
  "O meu veio com defeito, como faço a troca?",
  "Quanto tempo dura a bateria?",
  "Ainda está com o cupom?",
  "Faz um vídeo comparando com o modelo anterior!",
];

export type SandboxHistoryPost = {
  externalId: string;
  title: string;
  description: string;
  /** What SocialPost.caption carries for YouTube: the title, a blank line, the description. */
  caption: string;
  permalink: string;
  publishedAt: Date;
  /**
   * Lifetime numbers exactly as the connector's getPostMetrics reads them: the Data API has no
   * reach, shares or saves per video, so those are 0 here too (a later sync must not change them).
   */
  metrics: { views: number; reach: number; likes: number; comments: number; shares: number; saves: number };
};

export type SandboxHistoryDay = {
  date: string;
  views: number;
  likes: number;
  comments: number;
  shares: number;
  subscribersGained: number;
  subscribersLost: number;
  /** Subscribers at the end of the day. */
  followers: number;
  /** As the connector's getAccountMetrics reports the day: likes + comments + shares; no reach or profile views on YouTube. */
  engagements: number;
  reach: number;
  profileViews: number;
};

export type SandboxHistoryComment = {
  externalId: string;
  postExternalId: string;
  /** Audience comments of the history are all top-level and visible. */
  parentExternalId: null;
  hidden: false;
  authorExternalId: string;
  authorName: string;
  text: string;
  createdAt: Date;
};

export type SandboxHistory = {
  posts: SandboxHistoryPost[];
  daily: SandboxHistoryDay[];
  comments: SandboxHistoryComment[];
};

function dayString(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A video of a slot (slot n is published on HISTORY_EPOCH + n·POST_EVERY_DAYS days, some hour). */
function historyPost(account: SandboxYouTubeAccount, slot: number, now: number): SandboxHistoryPost {
  const key = `${account.id}:${slot}`;
  const product = PRODUCTS[int(`product:${key}`, 0, PRODUCTS.length - 1)]!;
  const format = FORMATS[int(`format:${key}`, 0, FORMATS.length - 1)]!(product);
  const tags = [HASHTAGS[int(`tag1:${key}`, 0, HASHTAGS.length - 1)]!, HASHTAGS[int(`tag2:${key}`, 0, HASHTAGS.length - 1)]!];
  const description = `${format.description}\n\n${[...new Set(tags)].join(" ")}`;
  const publishedAt = new Date(HISTORY_EPOCH + slot * POST_EVERY_DAYS * DAY_MS + int(`hour:${key}`, 11, 21) * 3_600_000);
  const externalId = historyVideoId(account.id, slot);
  // Lifetime numbers approach their ceiling in the first weeks and never go down.
  const ageDays = Math.max(0, (now - publishedAt.getTime()) / DAY_MS);
  const ceiling = Math.round(account.dailyViews * (0.6 + unit(`views:${key}`) * 2.4));
  const growth = 1 - Math.exp(-ageDays / 6);
  const views = Math.floor(ceiling * growth);
  return {
    externalId,
    title: format.title,
    description,
    caption: `${format.title}\n\n${description}`,
    permalink: `https://www.youtube.com/watch?v=${externalId}`,
    publishedAt,
    metrics: {
      views,
      reach: 0,
      likes: Math.floor(views * (0.03 + unit(`likes:${key}`) * 0.04)),
      comments: historyComments(account, slot, publishedAt, externalId, now).length,
      shares: 0,
      saves: 0,
    },
  };
}

function historyComments(account: SandboxYouTubeAccount, slot: number, publishedAt: Date, videoId: string, now: number): SandboxHistoryComment[] {
  const key = `${account.id}:${slot}`;
  const count = int(`comments:${key}`, 1, 5);
  const out: SandboxHistoryComment[] = [];
  for (let n = 0; n < count; n++) {
    const createdAt = new Date(publishedAt.getTime() + int(`comment-at:${key}:${n}`, 10, 4 * 24 * 60) * 60_000);
    if (createdAt.getTime() > now) continue;
    const author = COMMENTERS[int(`commenter:${key}:${n}`, 0, COMMENTERS.length - 1)]!;
    out.push({
      externalId: `Ugx${idChars(`comment:${key}:${n}`, 20)}4AaABAg`,
      postExternalId: videoId,
      parentExternalId: null,
      hidden: false,
      authorExternalId: `UC${idChars(`author:${author}`, 22)}`,
      authorName: author,
      text: COMMENT_TEXTS[int(`comment-text:${key}:${n}`, 0, COMMENT_TEXTS.length - 1)]!,
      createdAt,
    });
  }
  return out;
}

function dailyRow(account: SandboxYouTubeAccount, dayMs: number): Omit<SandboxHistoryDay, "followers" | "engagements" | "reach" | "profileViews"> {
  const date = dayString(dayMs);
  const key = `${account.id}:${date}`;
  // Weekends are busier, as for most shopping channels.
  const weekday = new Date(dayMs).getUTCDay();
  const weekend = weekday === 0 || weekday === 6 ? 1.25 : 1;
  const views = Math.round(account.dailyViews * weekend * (0.7 + unit(`dviews:${key}`) * 0.6));
  const subscribersGained = Math.round(views * (0.004 + unit(`dgain:${key}`) * 0.006));
  return {
    date,
    views,
    likes: Math.round(views * (0.03 + unit(`dlikes:${key}`) * 0.03)),
    comments: Math.round(views * (0.002 + unit(`dcomments:${key}`) * 0.004)),
    shares: Math.round(views * (0.002 + unit(`dshares:${key}`) * 0.003)),
    subscribersGained,
    subscribersLost: Math.round(subscribersGained * (0.1 + unit(`dlost:${key}`) * 0.3)),
  };
}

/** Daily analytics of a channel for [fromDay, toDay] (UTC day starts), with subscribers at each day's end. */
export function dailyHistory(account: SandboxYouTubeAccount, fromDay: number, toDay: number): SandboxHistoryDay[] {
  let followers = account.baseSubscribers;
  const out: SandboxHistoryDay[] = [];
  for (let day = HISTORY_EPOCH; day <= toDay; day += DAY_MS) {
    const row = dailyRow(account, day);
    followers += row.subscribersGained - row.subscribersLost;
    if (day >= fromDay) out.push({ ...row, followers, engagements: row.likes + row.comments + row.shares, reach: 0, profileViews: 0 });
  }
  return out;
}

/** Subscribers of a channel now (the end of today's row). */
export function subscribersAt(account: SandboxYouTubeAccount, now: number): number {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return dailyHistory(account, today, today)[0]?.followers ?? account.baseSubscribers;
}

export type SandboxHistoryEntry = { post: SandboxHistoryPost; comments: SandboxHistoryComment[] };

/** Historical videos published in the window (newest first), each with its audience comments. */
export function historyEntries(account: SandboxYouTubeAccount, now: number, windowDays = HISTORY_WINDOW_DAYS): SandboxHistoryEntry[] {
  const slotSpan = POST_EVERY_DAYS * DAY_MS;
  const last = Math.floor((now - HISTORY_EPOCH) / slotSpan);
  const out: SandboxHistoryEntry[] = [];
  for (let slot = last; slot >= 0; slot--) {
    const post = historyPost(account, slot, now);
    if (post.publishedAt.getTime() > now) continue;
    if (post.publishedAt.getTime() < now - windowDays * DAY_MS) break;
    out.push({ post, comments: historyComments(account, slot, post.publishedAt, post.externalId, now) });
  }
  return out;
}

/** Historical videos published in the window (newest first). */
export function historyPosts(account: SandboxYouTubeAccount, now: number, windowDays = HISTORY_WINDOW_DAYS): SandboxHistoryPost[] {
  return historyEntries(account, now, windowDays).map((e) => e.post);
}

/**
 * What the sandbox serves for a channel at `now`: ~20 videos of the last 60 days with lifetime
 * metrics, 90 days of daily analytics ending today, and the audience comments on those videos.
 * The demo seed stores exactly this; syncs against the sandbox then agree with it.
 */
export function youtubeSandboxHistory(accountExternalId: string, now: Date): SandboxHistory {
  const account = youtubeAccountById(accountExternalId);
  if (!account) return { posts: [], daily: [], comments: [] };
  const nowMs = now.getTime();
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  return {
    posts: historyPosts(account, nowMs),
    daily: dailyHistory(account, today - 89 * DAY_MS, today),
    comments: historyEntries(account, nowMs).flatMap((e) => e.comments),
  };
}
