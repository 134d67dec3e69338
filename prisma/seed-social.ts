/**
 * Demo data for the social area, so the calendar, analytics and inbox are alive right after
 * `npm run dev`: the demo organization gets one sandbox account on Instagram, TikTok and YouTube
 * (connected through each sandbox's own OAuth flow), the accounts' recent posts as published
 * publications with their metrics and audience comments, a Black Friday campaign with approved
 * posts scheduled over the coming week (with real media files), and one piece waiting for review.
 *
 * Like the marketplace seed, it runs outside Next.js and talks to in-process copies of the
 * sandboxes built with the app's token secrets, so the tokens and ids it stores are valid in the
 * sandboxes the app mounts. Everything is written through the app's own services (analytics sync,
 * comment storage, content, media upload, scheduling). Idempotent: an organization that already
 * has a social account is left alone. Networks with real credentials configured are skipped.
 */
import sharp from "sharp";

import type { PrismaClient } from "../src/generated/prisma/client";
import { env } from "../src/env.js";
import type { TokenSet } from "../src/server/connectors/common";
import { createInstagramSandbox, SANDBOX_INSTAGRAM_ACCOUNTS } from "../src/server/connectors/sandbox/instagram";
import { createTikTokSandbox, SANDBOX_TIKTOK_ACCOUNTS } from "../src/server/connectors/sandbox/tiktok";
import { createYouTubeSandbox, SANDBOX_YOUTUBE_ACCOUNTS } from "../src/server/connectors/sandbox/youtube";
import { createInstagramConnector } from "../src/server/connectors/social/instagram/client";
import { setSocialConnector } from "../src/server/connectors/social/registry";
import { createTikTokConnector } from "../src/server/connectors/social/tiktok";
import type { SocialConnector, SocialProvider } from "../src/server/connectors/social/types";
import { createYouTubeConnector } from "../src/server/connectors/social/youtube";
import type { Db } from "../src/server/db";
import { encryptSecret, parseKey } from "../src/server/lib/crypto";
import { logger } from "../src/server/lib/logger";
import { zonedWallTimeToUtc, toZonedInputs } from "../src/lib/time/zoned";
import { syncSocialAnalytics } from "../src/server/services/analytics/sync";
import { createCampaign } from "../src/server/services/content/campaigns";
import { createContent, upsertContentVariant } from "../src/server/services/content/content";
import type { TenantCtx } from "../src/server/services/context";
import { jobTenantCtx } from "../src/server/services/connectors/job-ctx";
import { storeComments } from "../src/server/services/engagement/inbound";
import { uploadMedia } from "../src/server/services/media/upload";
import { schedule } from "../src/server/services/publishing/publications";
import { mp4Bytes } from "../tests/helpers/media-fixtures";

type Demo = { organizationId: string; userId: string };

const DAY_MS = 86_400_000;

type Network = {
  provider: SocialProvider;
  slug: string;
  consentVersion: string;
  /** The consent page's account field and the demo account's id in it. */
  accountField: string;
  accountId: string;
  realCredentials: boolean;
  build(appUrl: string): { connector: SocialConnector; handler: (request: Request) => Promise<Response> };
};

/** Built with the same options as the sandboxes mounted at /api/sandbox/<network> (src/app/api/sandbox). */
const NETWORKS: Network[] = [
  {
    provider: "INSTAGRAM",
    slug: "instagram",
    consentVersion: "instagram-2026-11",
    accountField: "user_id",
    accountId: SANDBOX_INSTAGRAM_ACCOUNTS[0]!.id,
    realCredentials: !!env.INSTAGRAM_APP_ID,
    build(appUrl) {
      const basePath = "/api/sandbox/instagram";
      const sandbox = createInstagramSandbox({ basePath, tokenSecret: `instagram-sandbox:${env.AUTH_SECRET}`, webhookUrl: null });
      const handler = (request: Request) => sandbox.handler(request);
      const base = `${appUrl}${basePath}`;
      const connector = createInstagramConnector({
        graphUrl: base,
        apiUrl: base,
        authUrl: base,
        clientId: sandbox.clientId,
        clientSecret: sandbox.clientSecret,
        isSandbox: true,
        fetch: inProcess(handler),
      });
      return { connector, handler };
    },
  },
  {
    provider: "TIKTOK",
    slug: "tiktok",
    consentVersion: "tiktok-2026-11",
    accountField: "open_id",
    accountId: SANDBOX_TIKTOK_ACCOUNTS[0]!.openId,
    realCredentials: !!env.TIKTOK_CLIENT_KEY,
    build(appUrl) {
      const basePath = "/api/sandbox/tiktok";
      const base = `${appUrl}${basePath}`;
      const sandbox = createTikTokSandbox({ basePath, publicUrl: base, tokenSecret: `tiktok-sandbox:${env.AUTH_SECRET}` });
      const handler = (request: Request) => sandbox.handler(request);
      const connector = createTikTokConnector({
        authUrl: base,
        apiUrl: base,
        businessApiUrl: base,
        clientKey: sandbox.clientKey,
        clientSecret: sandbox.clientSecret,
        isSandbox: true,
        fetch: inProcess(handler),
      });
      return { connector, handler };
    },
  },
  {
    provider: "YOUTUBE",
    slug: "youtube",
    consentVersion: "youtube-2026-11",
    accountField: "channel_id",
    accountId: SANDBOX_YOUTUBE_ACCOUNTS[0]!.id,
    realCredentials: !!env.GOOGLE_CLIENT_ID,
    build(appUrl) {
      const basePath = "/api/sandbox/youtube";
      const base = `${appUrl}${basePath}`;
      const sandbox = createYouTubeSandbox({ basePath, tokenSecret: `youtube-sandbox:${env.AUTH_SECRET}` });
      const handler = (request: Request) => sandbox.handler(request);
      const connector = createYouTubeConnector({
        apiUrl: base,
        analyticsUrl: base,
        oauthUrl: base,
        tokenUrl: base,
        clientId: sandbox.clientId,
        clientSecret: sandbox.clientSecret,
        isSandbox: true,
        fetch: inProcess(handler),
      });
      return { connector, handler };
    },
  },
];

function inProcess(handler: (request: Request) => Promise<Response>): typeof fetch {
  return (input, init) => handler(new Request(input, init));
}

export async function seedDemoSocial(db: PrismaClient, demo: Demo) {
  if (await db.connection.findFirst({ where: { organizationId: demo.organizationId, kind: "SOCIAL" }, select: { id: true } })) {
    return { skipped: "already connected" };
  }
  const appUrl = env.APP_URL.replace(/\/+$/, "");
  const now = new Date();
  const ctx = tenantCtx(db, demo);
  const connected: { provider: SocialProvider; connectionId: string }[] = [];
  let published = 0;
  let comments = 0;

  for (const network of NETWORKS) {
    // With real credentials the sandbox is off: a seeded sandbox account would never sync.
    if (network.realCredentials) continue;
    const { connector, handler } = network.build(appUrl);
    const restore = setSocialConnector(connector);
    try {
      const tokens = await authorize(network, connector, handler, appUrl);
      const connection = await storeConnection(db, demo, network, tokens, now);
      connected.push({ provider: network.provider, connectionId: connection.id });
      const credentials = { accessToken: tokens.accessToken, externalAccountId: tokens.externalAccountId };

      // The account's recent posts become published publications (as if we had published them).
      const { posts } = await connector.listPosts(credentials, null);
      for (const post of posts) {
        await seedPublishedPost(db, demo, network.provider, connection.id, post);
        published++;
      }
      // Metrics through the same sync the hourly function runs (90 days of account figures).
      await syncSocialAnalytics(jobTenantCtx(db as unknown as Db, { organizationId: demo.organizationId }), connection.id, now);
      // Audience comments on those posts, stored as the poller stores them (no automation runs on history).
      const page = await connector.listComments(credentials, { postExternalIds: posts.map((p) => p.externalId), since: new Date(now.getTime() - 60 * DAY_MS), cursor: null });
      const owner = { organizationId: demo.organizationId, connectionId: connection.id, externalAccountId: tokens.externalAccountId };
      comments += (await storeComments(db as unknown as Db, owner, page.comments, now)).length;
    } finally {
      restore();
    }
  }
  if (connected.length === 0) return { skipped: "real credentials configured for every network" };

  const scheduled = await seedCampaign(ctx, connected, now);
  return { accounts: connected.length, published, comments, scheduled };
}

/** The OAuth code flow on the sandbox's consent page, as a person would go through it. */
async function authorize(network: Network, connector: SocialConnector, handler: (request: Request) => Promise<Response>, appUrl: string): Promise<TokenSet> {
  const redirectUri = `${appUrl}/api/v1/auth/${network.slug}/callback`;
  const authUrl = new URL(connector.authorizationUrl({ state: "seed-social-demo", redirectUri }));
  const form = new URLSearchParams(authUrl.searchParams);
  form.set("decision", "allow");
  form.set(network.accountField, network.accountId);
  const consent = await handler(
    new Request(`${authUrl.origin}${authUrl.pathname}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form.toString() }),
  );
  const code = new URL(consent.headers.get("location") ?? "http://invalid/").searchParams.get("code");
  if (!code) throw new Error(`the ${network.slug} sandbox issued no authorization code (${consent.status})`);
  return connector.exchangeCode({ code, redirectUri, callbackParams: { code, state: "seed-social-demo" } });
}

async function storeConnection(db: PrismaClient, demo: Demo, network: Network, tokens: TokenSet, now: Date) {
  const ring = { current: parseKey(env.TOKEN_ENCRYPTION_KEY), previous: [] };
  return db.connection.create({
    data: {
      organizationId: demo.organizationId,
      provider: network.provider,
      kind: "SOCIAL",
      externalAccountId: tokens.externalAccountId,
      accountName: tokens.accountName ?? null,
      accessTokenEnc: encryptSecret(tokens.accessToken, ring),
      refreshTokenEnc: tokens.refreshToken ? encryptSecret(tokens.refreshToken, ring) : null,
      expiresAt: tokens.expiresAt,
      refreshExpiresAt: tokens.refreshExpiresAt,
      scopes: tokens.scopes,
      consentVersion: network.consentVersion,
      consentAt: now,
      createdById: demo.userId,
    },
    select: { id: true },
  });
}

async function seedPublishedPost(
  db: PrismaClient,
  demo: Demo,
  network: SocialProvider,
  connectionId: string,
  post: { externalId: string; caption: string; permalink: string | null; publishedAt: Date },
) {
  const firstLine = post.caption.split("\n")[0]?.trim() || "Publicação";
  const title = firstLine.length > 80 ? `${firstLine.slice(0, 77)}…` : firstLine;
  await db.content.create({
    data: {
      organizationId: demo.organizationId,
      title,
      baseCaption: post.caption,
      status: "APPROVED",
      approvedAt: post.publishedAt,
      createdById: demo.userId,
      createdAt: new Date(post.publishedAt.getTime() - DAY_MS),
      variants: {
        create: { organizationId: demo.organizationId, network, caption: post.caption, hashtags: [], title: network === "YOUTUBE" ? title : null },
      },
      publications: {
        create: {
          organizationId: demo.organizationId,
          connectionId,
          scheduledAt: post.publishedAt,
          status: "PUBLISHED",
          phase: "published",
          externalId: post.externalId,
          permalink: post.permalink,
          publishedAt: post.publishedAt,
          attempts: 1,
          createdById: demo.userId,
        },
      },
    },
  });
  // The variant link of the publication (created in the same nested write above).
  await db.$executeRaw`UPDATE publications p SET variant_id = v.id FROM content_variants v
    WHERE p.content_id = v.content_id AND p.organization_id = ${demo.organizationId} AND p.external_id = ${post.externalId} AND p.variant_id IS NULL`;
}

/**
 * A Black Friday campaign with approved posts scheduled over the coming week in the
 * organization's time zone — they really publish to the sandboxes when their time comes — and one
 * piece waiting for review.
 */
async function seedCampaign(ctx: TenantCtx, connected: { provider: SocialProvider; connectionId: string }[], now: Date) {
  const zone = "America/Sao_Paulo";
  const campaign = await createCampaign(ctx, {
    name: "Black Friday 2026",
    objective: "sales",
    status: "ACTIVE",
    startsAt: new Date(now.getTime() - 6 * DAY_MS),
    endsAt: new Date(now.getTime() + 7 * DAY_MS),
  });
  const at = (daysAhead: number, time: string) => {
    const day = toZonedInputs(new Date(now.getTime() + daysAhead * DAY_MS), zone).date;
    return zonedWallTimeToUtc(day, time, zone);
  };
  const plans: { provider: SocialProvider; title: string; caption: string; hashtags: string[]; when: Date; media: () => Promise<{ name: string; type: string; bytes: Buffer }> }[] = [
    {
      provider: "INSTAGRAM",
      title: "Esquenta Black Friday: fones com até 40% off",
      caption: "A Black Friday da Loja Demo começa amanhã! Fones, caixas de som e acessórios com até 40% de desconto. Frete grátis acima de R$ 99.",
      hashtags: ["blackfriday", "lojademo", "ofertas"],
      when: at(1, "10:00"),
      media: async () => ({ name: "esquenta-black-friday.jpg", type: "image/jpeg", bytes: await poster("BLACK FRIDAY", "até 40% off", "#111827", "#f59e0b") }),
    },
    {
      provider: "TIKTOK",
      title: "Unboxing do fone sem fio",
      caption: "Unboxing do fone sem fio mais vendido da loja 🎧 Bateria de 30 h e cancelamento de ruído. Corre que é Black Friday!",
      hashtags: ["unboxing", "blackfriday", "tech"],
      when: at(2, "12:30"),
      media: async () => ({ name: "unboxing-fone.mp4", type: "video/mp4", bytes: mp4Bytes({ durationMs: 24_000, width: 1080, height: 1920, sizeBytes: 2 * 1024 * 1024 }) }),
    },
    {
      provider: "INSTAGRAM",
      title: "Oferta relâmpago: caixa de som",
      caption: "Oferta relâmpago só hoje: caixa de som à prova d'água por R$ 149,90. Link na bio!",
      hashtags: ["ofertarelampago", "blackfriday"],
      when: at(3, "18:00"),
      media: async () => ({ name: "oferta-relampago.jpg", type: "image/jpeg", bytes: await poster("OFERTA RELÂMPAGO", "R$ 149,90", "#7c2d12", "#fde68a") }),
    },
    {
      provider: "YOUTUBE",
      title: "Review completo: os 5 fones mais vendidos da Black Friday",
      caption: "Testamos os 5 fones mais vendidos da Loja Demo: som, bateria, conforto e custo-benefício. Links e cupons na descrição.",
      hashtags: ["review", "fones", "blackfriday"],
      when: at(5, "19:00"),
      media: async () => ({ name: "review-fones.mp4", type: "video/mp4", bytes: mp4Bytes({ durationMs: 8 * 60_000, width: 1920, height: 1080, sizeBytes: 3 * 1024 * 1024 }) }),
    },
  ];

  let scheduled = 0;
  for (const plan of plans) {
    const account = connected.find((c) => c.provider === plan.provider);
    if (!account) continue;
    const content = await createContent(ctx, { title: plan.title, baseCaption: plan.caption, campaignId: campaign.id, networks: [plan.provider] });
    await upsertContentVariant(ctx, {
      contentId: content.id,
      network: plan.provider,
      caption: plan.caption,
      hashtags: plan.hashtags,
      title: plan.provider === "YOUTUBE" ? plan.title : null,
      privacy: plan.provider === "TIKTOK" ? "PUBLIC_TO_EVERYONE" : plan.provider === "YOUTUBE" ? "public" : null,
    });
    await upload(ctx, content.id, await plan.media());
    await ctx.db.content.update({ where: { id: content.id }, data: { status: "APPROVED", approvedAt: now, approvedById: ctx.tenant.userId } });
    await schedule(ctx, { contentId: content.id, targets: [{ connectionId: account.connectionId, scheduledAt: plan.when }] }, now);
    scheduled++;
  }

  // One piece in review: the approval stage has something to show.
  const review = await createContent(ctx, {
    title: "Cyber Monday: kit gamer",
    baseCaption: "Depois da Black Friday vem a Cyber Monday: kit gamer com headset, mouse e mousepad por R$ 299.",
    campaignId: campaign.id,
    networks: ["INSTAGRAM"],
  });
  await upload(ctx, review.id, { name: "cyber-monday.jpg", type: "image/jpeg", bytes: await poster("CYBER MONDAY", "kit gamer R$ 299", "#1e1b4b", "#a5b4fc") });
  await ctx.db.content.update({ where: { id: review.id }, data: { status: "IN_REVIEW", submittedAt: now } });
  return scheduled;
}

async function upload(ctx: TenantCtx, contentId: string, file: { name: string; type: string; bytes: Buffer }) {
  const form = new FormData();
  form.set("contentId", contentId);
  form.set("file", new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const request = new Request("http://seed.invalid/api/v1/media", { method: "POST", body: form });
  const outcome = await uploadMedia(ctx, { body: request.body, contentType: request.headers.get("content-type"), contentLength: null });
  if (!outcome.ok) throw new Error(`demo media ${file.name} refused: ${outcome.code}`);
}

/** A 1080×1350 (4:5) JPEG poster with a headline, rendered from SVG. */
async function poster(headline: string, line: string, background: string, accent: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1080" height="1350">
    <rect width="100%" height="100%" fill="${background}"/>
    <circle cx="900" cy="220" r="260" fill="${accent}" opacity="0.25"/>
    <text x="80" y="620" font-family="DejaVu Sans, Arial, sans-serif" font-size="104" font-weight="700" fill="#ffffff">${headline}</text>
    <text x="80" y="760" font-family="DejaVu Sans, Arial, sans-serif" font-size="72" fill="${accent}">${line}</text>
    <text x="80" y="1240" font-family="DejaVu Sans, Arial, sans-serif" font-size="44" fill="#e5e7eb">Loja Demo</text>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

function tenantCtx(db: PrismaClient, demo: Demo): TenantCtx {
  return {
    db: db as unknown as Db,
    userId: demo.userId,
    request: { correlationId: "seed-social" },
    log: logger.child({ component: "seed-social" }),
    tenant: { organizationId: demo.organizationId, userId: demo.userId, role: "OWNER" },
  };
}
