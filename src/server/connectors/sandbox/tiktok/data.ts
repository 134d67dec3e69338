/**
 * Deterministic demo data of the TikTok sandbox: two accounts and, per account, ~20 past videos,
 * 90 days of account metrics and a few audience comments per video. `tiktokSandboxHistory` is pure
 * (a function of the account and the UTC day of `now`), so the demo seed can store the same rows
 * the sandbox's read endpoints later serve, and syncs agree with the seed.
 */
import type { AccountDailyMetrics, PostMetrics, SocialComment, SocialPost } from "~/server/connectors/social/types";

import { mix32 } from "../catalog";

export type SandboxTikTokAccount = {
  openId: string;
  username: string;
  displayName: string;
  avatarUrl: string;
  /** Base follower count 90 days ago; grows a little every day. */
  followerBase: number;
};

export const SANDBOX_TIKTOK_ACCOUNTS: readonly SandboxTikTokAccount[] = [
  {
    openId: "-000lojademo7Hq2xW9fK3vT",
    username: "lojademo",
    displayName: "Loja Demo",
    avatarUrl: "https://p16-sign.tiktokcdn-us.com/sandbox/lojademo.jpeg",
    followerBase: 12_400,
  },
  {
    openId: "-000ateliemarina4Rb8nZ1p",
    username: "ateliedamarina",
    displayName: "Ateliê da Marina",
    avatarUrl: "https://p16-sign.tiktokcdn-us.com/sandbox/ateliedamarina.jpeg",
    followerBase: 3_150,
  },
];

export function tiktokAccountByOpenId(openId: string): SandboxTikTokAccount | undefined {
  return SANDBOX_TIKTOK_ACCOUNTS.find((a) => a.openId === openId);
}

export type TikTokHistoryPost = SocialPost & { metrics: PostMetrics };
export type TikTokHistoryDay = AccountDailyMetrics & { likes: number; comments: number; shares: number };
export type TikTokHistory = { posts: TikTokHistoryPost[]; accountDaily: TikTokHistoryDay[]; comments: SocialComment[] };

const DAY_MS = 86_400_000;

const CAPTIONS = [
  "Chegou coleção nova! Qual cor você escolheria? #novidade #moda",
  "Bastidores da embalagem dos pedidos de hoje 📦 #pequenosnegocios",
  "3 jeitos de usar a mesma peça #dicas #estilo",
  "Promoção relâmpago só até domingo ⚡ #promo",
  "Unboxing do nosso kit mais vendido #unboxing",
  "Antes e depois: veja a diferença #transformacao",
  "Respondendo a dúvida mais comum da semana #perguntas",
  "Como cuidar da sua peça para durar anos #cuidados",
  "Um dia na nossa loja ☀️ #rotina #empreendedorismo",
  "Teste de resistência: passou? #teste",
  "Cliente mandou foto e a gente amou 💛 #clientes",
  "Lançamento da semana, corre que é pouco estoque #lancamento",
  "Tutorial rápido em 30 segundos #tutorial",
  "O que vem na caixa? #unboxing #novidade",
  "Frete grátis para todo o Brasil neste fim de semana #fretegratis",
  "Nossa história em 1 minuto #marca",
  "Combinações para o verão #verao #moda",
  "Os favoritos do mês segundo vocês #maisvendidos",
  "Erros que todo mundo comete (e como evitar) #dicas",
  "Preparando a Black Friday por aqui 🖤 #blackfriday",
  "Peça personalizada feita à mão #artesanal",
];

const COMMENTS = [
  "Amei! Tem no tamanho M?",
  "Qual o valor?",
  "Entrega para o Nordeste?",
  "Comprei e chegou super rápido, recomendo",
  "Que lindo 😍",
  "Tem outras cores?",
  "Vocês têm loja física?",
  "Quero muito!",
  "Esse tecido amassa?",
  "Chegou certinho, obrigada!",
];

const AUTHORS = ["ana.souza", "joaopedro_", "carol.lima", "marcos.vendas", "bia_reis", "rafa.santos", "lu.martins", "thiago_oliveira"];

function hashString(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Uniform in [0, 1) for (account, ...coordinates). */
function rand(openId: string, ...coords: number[]): number {
  let h = hashString(openId);
  for (const c of coords) h = mix32(h ^ mix32(c + 0x9e3779b9));
  return h / 2 ** 32;
}

/** A TikTok-looking numeric id (19 digits) derived from the account and coordinates. */
export function tiktokNumericId(openId: string, ...coords: number[]): string {
  const high = Math.floor(rand(openId, 7, ...coords) * 900_000_000) + 7_100_000_000;
  const low = Math.floor(rand(openId, 11, ...coords) * 1_000_000_000);
  return `${high}${String(low).padStart(9, "0")}`;
}

export function tiktokPermalink(username: string, videoId: string): string {
  return `https://www.tiktok.com/@${username}/video/${videoId}`;
}

export function tiktokSandboxHistory(accountExternalId: string, now: Date): TikTokHistory {
  const account = tiktokAccountByOpenId(accountExternalId);
  const username = account?.username ?? "sandbox";
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const posts: TikTokHistoryPost[] = [];
  const comments: SocialComment[] = [];
  for (let i = 0; i < 20; i++) {
    // Spread over the last 60 days, newest first, at a lunchtime/evening hour (UTC-3 audience).
    const daysAgo = 1 + i * 3;
    const hour = 14 + Math.floor(rand(accountExternalId, 1, i) * 10);
    const publishedAt = new Date(today - daysAgo * DAY_MS + hour * 3_600_000);
    const externalId = tiktokNumericId(accountExternalId, 100, i);
    const views = Math.floor(800 + rand(accountExternalId, 2, i) * 25_000);
    const commentCount = 2 + Math.floor(rand(accountExternalId, 5, i) * 3);
    posts.push({
      externalId,
      caption: CAPTIONS[(i + hashString(accountExternalId)) % CAPTIONS.length]!,
      permalink: tiktokPermalink(username, externalId),
      publishedAt,
      metrics: {
        externalId,
        views,
        reach: 0,
        likes: Math.floor(views * (0.04 + rand(accountExternalId, 3, i) * 0.08)),
        comments: commentCount,
        shares: Math.floor(views * rand(accountExternalId, 4, i) * 0.01),
        saves: 0,
      },
    });
    for (let c = 0; c < commentCount; c++) {
      const author = AUTHORS[Math.floor(rand(accountExternalId, 6, i, c) * AUTHORS.length)]!;
      comments.push({
        // The connector's comment id: "{video id}:{comment id}" (the Business API needs both).
        externalId: `${externalId}:${tiktokNumericId(accountExternalId, 200, i, c)}`,
        postExternalId: externalId,
        parentExternalId: null,
        authorExternalId: `user-${hashString(author).toString(16)}`,
        authorName: author,
        text: COMMENTS[Math.floor(rand(accountExternalId, 8, i, c) * COMMENTS.length)]!,
        createdAt: new Date(publishedAt.getTime() + (c + 1) * 47 * 60_000),
        hidden: false,
      });
    }
  }
  const accountDaily: TikTokHistoryDay[] = [];
  let followers = account?.followerBase ?? 1_000;
  for (let d = 90; d >= 1; d--) {
    const date = new Date(today - d * DAY_MS).toISOString().slice(0, 10);
    followers += Math.floor(rand(accountExternalId, 20, d) * 40) - 8;
    const views = Math.floor(300 + rand(accountExternalId, 21, d) * 4_000);
    const likes = Math.floor(views * 0.06);
    const commentsOfDay = Math.floor(views * 0.004);
    const shares = Math.floor(views * 0.003);
    accountDaily.push({
      date,
      followers,
      views,
      reach: 0,
      profileViews: Math.floor(views * (0.02 + rand(accountExternalId, 22, d) * 0.03)),
      engagements: likes + commentsOfDay + shares,
      likes,
      comments: commentsOfDay,
      shares,
    });
  }
  return { posts, accountDaily, comments };
}
