/**
 * Adversarial: every inbound webhook (/api/v1/webhooks/<provider> and /api/v1/webhooks/stripe),
 * called through the real route handlers with real Requests, real PostgreSQL and the real local
 * queue (nothing of ours is mocked). For each provider, table-driven:
 *  - a valid delivery is accepted and has its effect (an external-event row, a stored comment, a
 *    queued job);
 *  - forged signatures, a signature made with another secret, truncated or missing signature
 *    headers and a body changed after signing are refused with no effect at all;
 *  - an exact replay is acknowledged and processed once;
 *  - a stale timestamp is refused where the protocol signs one (Stripe's t=);
 *  - oversized bodies answer 413 and malformed ones never 500.
 * The table is keyed by every provider slug the [provider] route knows, plus "stripe": a provider
 * added to PROVIDER_SLUGS without a row here fails the first test.
 */
import { createHmac, randomBytes, randomInt } from "node:crypto";

import { NextRequest } from "next/server";
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { GET as providerGet, POST as providerPost } from "~/app/api/v1/webhooks/[provider]/route";
import { POST as stripePost } from "~/app/api/v1/webhooks/stripe/route";
import { env } from "~/env";
import { setStripeConfig } from "~/server/billing/stripe";
import { createMercadoLivreConnector } from "~/server/connectors/marketplace/mercadolivre/client";
import { MARKETPLACE_PROVIDERS, setMarketplaceConnector } from "~/server/connectors/marketplace/registry";
import { createShopeeConnector } from "~/server/connectors/marketplace/shopee/client";
import { createInstagramConnector } from "~/server/connectors/social/instagram/client";
import { setSocialConnector, SOCIAL_PROVIDERS } from "~/server/connectors/social/registry";
import { STRIPE_SANDBOX_SECRET_KEY, STRIPE_SANDBOX_WEBHOOK_SECRET } from "~/server/connectors/sandbox/stripe";
import { ensureQueueSchema } from "~/server/jobs/local/queue";
import { PROVIDER_SLUGS } from "~/server/services/connectors/connectors";
import { createOrgFixture, db, type OrgFixture } from "../helpers/fixtures";

const ML_CLIENT_ID = String(randomInt(100_000, 999_999_999));
const SHOPEE_PARTNER_KEY = `shopee-partner-key-${randomBytes(8).toString("hex")}`;
const INSTAGRAM_SECRET = `instagram-app-secret-${randomBytes(8).toString("hex")}`;
const OTHER_SECRET = "a-secret-that-is-not-ours";
const UNREACHABLE = "http://127.0.0.1:9";

type Delivery = { body: string; headers: Record<string, string> };
type Forgery = { name: string; make: (valid: Delivery) => Delivery };

type Row = {
  /** Does the provider deliver webhooks to us at all? TikTok and YouTube comments are polled. */
  receives: boolean;
  /** The status a refused delivery gets (per route: Stripe answers 400 with no detail). */
  refused: number;
  /** A new, correctly signed delivery whose effect can be counted; for `receives: false`, the best an attacker can do. */
  valid: () => Delivery;
  /** Signs any body as the provider would (for the malformed-body cases). */
  sign: (body: string) => Record<string, string>;
  forgeries: Forgery[];
  /** Everything a delivery of this provider could have done: rows and queued jobs, scoped to this test's data. */
  effects: () => Promise<number>;
  /** What an accepted delivery must have done exactly once. */
  effectOf: (delivery: Delivery) => Promise<number>;
};

let fx: OrgFixture;
let mlConnectionId = "";
let mlUserId = "";
let shopeeConnectionId = "";
let shopeeShopId = "";
let igConnectionId = "";
let igAccountId = "";
const restores: (() => void)[] = [];
let seq = 0;

const slugUrl = (slug: string) => new URL(`/api/v1/webhooks/${slug}`, env.APP_URL).toString();

/** Queued jobs whose key (the event id) names `fragment`: what the handlers send lands here. */
async function jobsLike(fragment: string): Promise<number> {
  const rows = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key LIKE ${`%${fragment}%`}`;
  return rows[0]!.n;
}

/**
 * Takes this file's queued events off the queue again: they were only here to be counted, and a
 * local runner started by another test file must not pick them up (syncs of made-up accounts).
 */
async function dropOurJobs() {
  if (!mlConnectionId) return;
  const comments = await db.comment.findMany({ where: { connectionId: igConnectionId }, select: { id: true } });
  const fragments = [mlConnectionId, shopeeConnectionId, ...comments.map((c) => `comment-received-${c.id}`)];
  for (const fragment of fragments) {
    await db.$queryRaw`SELECT graphile_worker.remove_job(key) FROM graphile_worker.jobs WHERE key LIKE ${`%${fragment}%`}`;
  }
}

const hex = (n: number) => randomBytes(n).toString("hex");
const hmacHex = (key: string, message: string) => createHmac("sha256", key).update(message, "utf8").digest("hex");

// ─── Per-provider deliveries ────────────────────────────────────────────────────────────────────

function mlBody(overrides: Record<string, unknown> = {}) {
  const now = new Date().toISOString();
  return JSON.stringify({
    _id: `adv-${Date.now()}-${seq++}-${hex(4)}`,
    resource: `/items/MLB${randomInt(1_000_000, 9_999_999)}`,
    user_id: Number(mlUserId),
    topic: "items",
    application_id: Number(ML_CLIENT_ID),
    attempts: 1,
    sent: now,
    received: now,
    ...overrides,
  });
}

const mlIdOf = (delivery: Delivery) => (JSON.parse(delivery.body) as { _id: string })._id;

function shopeeBody(at = Date.now()) {
  return JSON.stringify({ code: 22, shop_id: Number(shopeeShopId), timestamp: Math.floor(at / 1000), data: { item_id: randomInt(1, 2 ** 40), nonce: `${seq++}-${hex(4)}` } });
}
const shopeeSign = (body: string, key = SHOPEE_PARTNER_KEY, url = slugUrl("shopee")) => ({ "content-type": "application/json", authorization: hmacHex(key, `${url}|${body}`) });

function instagramBody(commentId = `${Date.now()}${randomInt(100_000, 999_999)}`, at = Date.now()) {
  return JSON.stringify({
    object: "instagram",
    entry: [{ id: igAccountId, time: Math.floor(at / 1000), changes: [{ field: "comments", value: { id: commentId, text: "Tem em azul?", from: { id: "555", username: "bia" }, media: { id: "1790000000000001" } } }] }],
  });
}
const igCommentIdOf = (delivery: Delivery) => (JSON.parse(delivery.body) as { entry: { changes: { value: { id: string } }[] }[] }).entry[0]!.changes[0]!.value.id;
const instagramSign = (body: string, key = INSTAGRAM_SECRET) => ({ "content-type": "application/json", "x-hub-signature-256": `sha256=${hmacHex(key, body)}` });

function stripeBody(id = `evt_adv_${hex(8)}`) {
  return JSON.stringify({
    id,
    object: "event",
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type: "customer.created",
    data: { object: { id: `cus_adv_${hex(4)}`, object: "customer" } },
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
  });
}
const stripeSign = (body: string, options: { secret?: string; timestamp?: number } = {}) => ({
  "content-type": "application/json",
  "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload: body, secret: options.secret ?? STRIPE_SANDBOX_WEBHOOK_SECRET, timestamp: options.timestamp }),
});
const stripeIdOf = (delivery: Delivery) => (JSON.parse(delivery.body) as { id: string }).id;

/** The forgeries every signed provider must refuse; `header` is where its signature travels. */
function signatureForgeries(header: string, otherSecretSign: (body: string) => Record<string, string>, resign: (body: string) => Record<string, string>): Forgery[] {
  const without = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).filter(([k]) => k !== header));
  return [
    { name: "a forged signature (random hex)", make: (v) => ({ body: v.body, headers: { ...v.headers, [header]: v.headers[header]!.replace(/[0-9a-f]{64}/, hex(32)) } }) },
    { name: "a signature made with another secret", make: (v) => ({ body: v.body, headers: otherSecretSign(v.body) }) },
    { name: "a truncated signature", make: (v) => ({ body: v.body, headers: { ...v.headers, [header]: v.headers[header]!.slice(0, -8) } }) },
    { name: "an empty signature header", make: (v) => ({ body: v.body, headers: { ...v.headers, [header]: "" } }) },
    { name: "no signature header", make: (v) => ({ body: v.body, headers: without(v.headers) }) },
    { name: "the body changed after signing", make: (v) => ({ body: v.body.replace(/"(\d)/, '"9$1'), headers: v.headers }) },
    { name: "a body signed for another delivery", make: (v) => ({ body: v.body, headers: resign(v.body.replace(/}$/, ',"x":1}')) }) },
  ];
}

const ROWS: Record<string, Row> = {
  // Mercado Livre signs nothing (no secret, no signature header): what can be checked is checked
  // (our application id, a known topic, a numeric user, a resource path, a date); an accepted one
  // is a hint that only queues a re-read of the item with the seller's own token.
  mercadolivre: {
    receives: true,
    refused: 401,
    valid: () => ({ body: mlBody(), headers: { "content-type": "application/json" } }),
    sign: () => ({ "content-type": "application/json" }),
    forgeries: [
      { name: "another application's id", make: () => ({ body: mlBody({ application_id: Number(ML_CLIENT_ID) + 1 }), headers: { "content-type": "application/json" } }) },
      { name: "no application id", make: () => ({ body: mlBody({ application_id: undefined }), headers: {} }) },
      { name: "an unknown topic", make: () => ({ body: mlBody({ topic: "payments_of_someone_else" }), headers: {} }) },
      { name: "a resource that is not a path", make: () => ({ body: mlBody({ resource: "https://evil.example/items/MLB1" }), headers: {} }) },
      { name: "a user id that is not numeric", make: () => ({ body: mlBody({ user_id: "1 OR 1=1" }), headers: {} }) },
      { name: "no date", make: () => ({ body: mlBody({ sent: undefined, received: undefined }), headers: {} }) },
      { name: "an array instead of an object", make: (v) => ({ body: `[${v.body}]`, headers: {} }) },
    ],
    effects: async () =>
      (await db.processedExternalEvent.count({ where: { source: "marketplace:mercadolivre", externalId: { startsWith: "adv-" } } })) + (await jobsLike(mlConnectionId)),
    effectOf: async (d) =>
      (await db.processedExternalEvent.count({ where: { source: "marketplace:mercadolivre", externalId: mlIdOf(d) } })) + (await jobsLike(`${mlConnectionId}-${mlIdOf(d)}`)),
  },
  shopee: {
    receives: true,
    refused: 401,
    valid: () => {
      const body = shopeeBody();
      return { body, headers: shopeeSign(body) };
    },
    sign: (body) => shopeeSign(body),
    forgeries: [
      ...signatureForgeries("authorization", (b) => shopeeSign(b, OTHER_SECRET), (b) => shopeeSign(b)),
      // The signature covers the callback URL: one made for another of our endpoints does not fit.
      { name: "a signature for another callback URL", make: (v) => ({ body: v.body, headers: shopeeSign(v.body, SHOPEE_PARTNER_KEY, slugUrl("mercadolivre")) }) },
      { name: "the partner key sent instead of a signature", make: (v) => ({ body: v.body, headers: { ...v.headers, authorization: SHOPEE_PARTNER_KEY } }) },
    ],
    effects: async () => (await db.processedExternalEvent.count({ where: { source: "marketplace:shopee", organizationId: fx.organizationId } })) + (await jobsLike(shopeeConnectionId)),
    effectOf: async (d) => {
      const { createHash } = await import("node:crypto");
      const id = createHash("sha256").update(d.body, "utf8").digest("hex");
      return (await db.processedExternalEvent.count({ where: { source: "marketplace:shopee", externalId: id } })) + (await jobsLike(`${shopeeConnectionId}-${id}`));
    },
  },
  instagram: {
    receives: true,
    refused: 401,
    valid: () => {
      const body = instagramBody();
      return { body, headers: instagramSign(body) };
    },
    sign: (body) => instagramSign(body),
    forgeries: [
      ...signatureForgeries("x-hub-signature-256", (b) => instagramSign(b, OTHER_SECRET), (b) => instagramSign(b)),
      { name: "the bare digest without sha256=", make: (v) => ({ body: v.body, headers: { ...v.headers, "x-hub-signature-256": v.headers["x-hub-signature-256"]!.replace("sha256=", "") } }) },
      { name: "only the legacy SHA-1 header", make: (v) => ({ body: v.body, headers: { "x-hub-signature": `sha1=${createHmac("sha1", INSTAGRAM_SECRET).update(v.body).digest("hex")}` } }) },
    ],
    effects: async () =>
      (await db.comment.count({ where: { organizationId: fx.organizationId, connectionId: igConnectionId } })) +
      (await db.processedExternalEvent.count({ where: { source: "instagram:webhook", organizationId: fx.organizationId } })),
    effectOf: async (d) => {
      const id = igCommentIdOf(d);
      const comments = await db.comment.findMany({ where: { organizationId: fx.organizationId, connectionId: igConnectionId, externalId: id }, select: { id: true } });
      const jobs = comments.length === 1 ? await jobsLike(`comment-received-${comments[0]!.id}`) : 0;
      // One comment row, one external-event row, one queued announcement.
      return (comments.length + (await db.processedExternalEvent.count({ where: { source: "instagram:webhook", externalId: `instagram:comment:${id}` } })) + jobs) / 3;
    },
  },
  // No comment webhooks exist for TikTok and YouTube (comments are polled): every POST is refused,
  // even one signed like an Instagram delivery with the app's secret.
  tiktok: {
    receives: false,
    refused: 401,
    valid: () => {
      const body = instagramBody();
      return { body, headers: instagramSign(body) };
    },
    sign: (body) => instagramSign(body),
    forgeries: [],
    effects: async () => db.processedExternalEvent.count({ where: { source: "tiktok:webhook" } }),
    effectOf: async () => 0,
  },
  youtube: {
    receives: false,
    refused: 401,
    valid: () => {
      const body = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><yt:videoId>abc</yt:videoId></entry></feed>`;
      return { body, headers: { "content-type": "application/atom+xml", "x-hub-signature": `sha1=${createHmac("sha1", INSTAGRAM_SECRET).update(body).digest("hex")}` } };
    },
    sign: (body) => ({ "x-hub-signature": `sha1=${createHmac("sha1", INSTAGRAM_SECRET).update(body).digest("hex")}` }),
    forgeries: [],
    effects: async () => db.processedExternalEvent.count({ where: { source: "youtube:webhook" } }),
    effectOf: async () => 0,
  },
  stripe: {
    receives: true,
    refused: 400,
    valid: () => {
      const body = stripeBody();
      return { body, headers: stripeSign(body) };
    },
    sign: (body) => stripeSign(body),
    forgeries: [
      ...signatureForgeries("stripe-signature", (b) => stripeSign(b, { secret: "whsec_not_the_one" }), (b) => stripeSign(b)),
      { name: "a stale timestamp (signed an hour ago)", make: (v) => ({ body: v.body, headers: stripeSign(v.body, { timestamp: Math.floor(Date.now() / 1000) - 3600 }) }) },
      { name: "a stale timestamp just past the 5-minute tolerance", make: (v) => ({ body: v.body, headers: stripeSign(v.body, { timestamp: Math.floor(Date.now() / 1000) - 301 }) }) },
      {
        name: "a fresh t= glued onto an old signature",
        make: (v) => {
          const old = stripeSign(v.body, { timestamp: Math.floor(Date.now() / 1000) - 3600 })["stripe-signature"];
          return { body: v.body, headers: { ...v.headers, "stripe-signature": old.replace(/t=\d+/, `t=${Math.floor(Date.now() / 1000)}`) } };
        },
      },
      { name: "a v0 (test-mode legacy) scheme only", make: (v) => ({ body: v.body, headers: { ...v.headers, "stripe-signature": v.headers["stripe-signature"]!.replace("v1=", "v0=") } }) },
    ],
    effects: async () => db.processedExternalEvent.count({ where: { source: "stripe", externalId: { startsWith: "evt_adv_" } } }),
    effectOf: async (d) => db.processedExternalEvent.count({ where: { source: "stripe", externalId: stripeIdOf(d) } }),
  },
};

// ─── Calling the real route handlers ────────────────────────────────────────────────────────────

async function post(slug: string, delivery: { body: BodyInit; headers: Record<string, string> }): Promise<Response> {
  const url = slugUrl(slug);
  if (slug === "stripe") return stripePost(new Request(url, { method: "POST", headers: delivery.headers, body: delivery.body }));
  const request = new NextRequest(url, { method: "POST", headers: delivery.headers, body: delivery.body });
  return providerPost(request, { params: Promise.resolve({ provider: slug }) });
}

async function get(slug: string, query: string): Promise<Response> {
  const request = new NextRequest(`${slugUrl(slug)}?${query}`);
  return providerGet(request, { params: Promise.resolve({ provider: slug }) });
}

beforeAll(async () => {
  await ensureQueueSchema();
  fx = await createOrgFixture("inbound-hooks");
  mlUserId = String(randomInt(100_000_000, 999_999_999));
  shopeeShopId = String(randomInt(100_000_000, 999_999_999));
  igAccountId = `1784${randomInt(100_000_000, 999_999_999)}`;
  const base = { organizationId: fx.organizationId, accountName: "adversarial" } as const;
  mlConnectionId = (await db.connection.create({ data: { ...base, provider: "MERCADOLIVRE", kind: "MARKETPLACE", externalAccountId: mlUserId } })).id;
  shopeeConnectionId = (await db.connection.create({ data: { ...base, provider: "SHOPEE", kind: "MARKETPLACE", externalAccountId: shopeeShopId } })).id;
  igConnectionId = (await db.connection.create({ data: { ...base, provider: "INSTAGRAM", kind: "SOCIAL", externalAccountId: igAccountId } })).id;
  restores.push(
    setMarketplaceConnector(createMercadoLivreConnector({ apiUrl: UNREACHABLE, authUrl: UNREACHABLE, clientId: ML_CLIENT_ID, clientSecret: "unused", isSandbox: true })),
    setMarketplaceConnector(createShopeeConnector({ apiUrl: UNREACHABLE, partnerId: 1, partnerKey: SHOPEE_PARTNER_KEY, isSandbox: true })),
    setSocialConnector(createInstagramConnector({ graphUrl: UNREACHABLE, apiUrl: UNREACHABLE, authUrl: UNREACHABLE, clientId: "1", clientSecret: INSTAGRAM_SECRET, isSandbox: true })),
  );
  setStripeConfig({ secretKey: STRIPE_SANDBOX_SECRET_KEY, webhookSecret: STRIPE_SANDBOX_WEBHOOK_SECRET, apiUrl: UNREACHABLE });
});

afterEach(async () => {
  await dropOurJobs();
});

afterAll(async () => {
  for (const restore of restores.reverse()) restore();
  setStripeConfig(undefined);
  await dropOurJobs();
});

const SLUGS = Object.keys(ROWS);

describe("inbound webhooks: the table covers every provider", () => {
  it("has one row per provider slug of the [provider] route, plus Stripe", () => {
    expect([...SLUGS].sort()).toEqual([...Object.values(PROVIDER_SLUGS), "stripe"].sort());
    // Every connector that can receive deliveries is a provider with a slug.
    for (const provider of [...MARKETPLACE_PROVIDERS, ...SOCIAL_PROVIDERS]) expect(PROVIDER_SLUGS[provider]).toBeDefined();
  });

  it("an unknown provider is 404 for POST and GET, and records nothing", async () => {
    for (const slug of ["unknown", "STRIPE", "mercadolivre.", "../stripe"]) {
      const res = await post(slug, { body: "{}", headers: {} });
      expect(res.status).toBe(404);
      expect((await get(slug, "hub.mode=subscribe&hub.challenge=1")).status).toBe(404);
    }
  });

  it("the subscription handshake: only Instagram answers, and only with the verify token", async () => {
    for (const slug of SLUGS.filter((s) => s !== "stripe")) {
      const res = await get(slug, "hub.mode=subscribe&hub.verify_token=guess&hub.challenge=42");
      expect(res.status, slug).toBe(slug === "mercadolivre" || slug === "shopee" ? 404 : 403);
      expect(await res.text()).not.toContain("42");
    }
  });
});

describe.each(SLUGS)("inbound webhook %s", (slug) => {
  const row = ROWS[slug]!;

  if (row.receives) {
    it("accepts a valid delivery and has its effect once", async () => {
      const delivery = row.valid();
      const before = await row.effects();
      const res = await post(slug, delivery);
      expect(res.status).toBe(200);
      expect(await row.effectOf(delivery)).toBe(slug === "mercadolivre" || slug === "shopee" ? 2 : 1);
      expect(await row.effects()).toBeGreaterThan(before);
    });

    it("acknowledges an exact replay (same body, same headers) and processes it once", async () => {
      const delivery = row.valid();
      const first = await post(slug, delivery);
      const once = await row.effects();
      const replays = await Promise.all([post(slug, delivery), post(slug, delivery), post(slug, delivery)]);
      expect(first.status).toBe(200);
      expect(replays.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(await row.effects()).toBe(once);
      expect(await row.effectOf(delivery)).toBe(slug === "mercadolivre" || slug === "shopee" ? 2 : 1);
    });

    it.each(row.forgeries.map((f) => [f.name, f] as const))("refuses %s, with no effect", async (_name, forgery) => {
      const valid = row.valid();
      const forged = forgery.make(valid);
      const before = await row.effects();
      const res = await post(slug, forged);
      expect(res.status).toBe(row.refused);
      const text = await res.text();
      // Uniform error body: no hint of the expected signature or the secret.
      expect(text).not.toMatch(/whsec|expected|partner|secret|sha256=/i);
      expect(await row.effects()).toBe(before);
      // The valid delivery is still accepted afterwards (a refused forgery does not burn its id).
      if (!forgery.name.startsWith("a stale") && !forgery.name.includes("glued")) {
        expect((await post(slug, valid)).status).toBe(200);
      }
    });
  } else {
    it("has no inbound webhooks: any POST, even signed with an app secret, is refused with no effect", async () => {
      const before = await row.effects();
      const delivery = row.valid();
      expect((await post(slug, delivery)).status).toBe(row.refused);
      expect((await post(slug, { body: "{}", headers: {} })).status).toBe(row.refused);
      expect(await row.effects()).toBe(before);
    });
  }

  it("answers 413 to a body over the limit (declared or not), never 500, with no effect", async () => {
    const before = await row.effects();
    const big = `{"pad":"${"a".repeat(env.MAX_REQUEST_BODY_BYTES + 10)}"}`;
    const declared = await post(slug, { body: big, headers: { ...row.sign("{}"), "content-type": "application/json" } });
    expect(declared.status).toBe(413);
    // Streamed without a length: the reader stops at the limit.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const chunk = new TextEncoder().encode("a".repeat(64 * 1024));
        for (let i = 0; i < Math.ceil(env.MAX_REQUEST_BODY_BYTES / chunk.length) + 2; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const url = slugUrl(slug);
    const init = { method: "POST", headers: row.sign("x"), body: stream, duplex: "half" } as RequestInit;
    const streamed =
      slug === "stripe" ? await stripePost(new Request(url, init)) : await providerPost(new NextRequest(new Request(url, init)), { params: Promise.resolve({ provider: slug }) });
    expect(streamed.status).toBe(413);
    expect(await row.effects()).toBe(before);
  });

  const MALFORMED: [string, string | Blob][] = [
    ["empty", ""],
    ["not JSON", "{not json"],
    ["JSON null", "null"],
    ["a JSON string", '"hello"'],
    ["an empty array", "[]"],
    ["deeply nested", `${"[".repeat(5000)}${"]".repeat(5000)}`],
    ["prototype keys", '{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}'],
    ["invalid UTF-8 bytes", new Blob([new Uint8Array([0xff, 0xfe, 0xc3, 0x28, 0x00, 0x7b])])],
  ];

  it.each(MALFORMED)("a malformed body (%s), unsigned or signed, is never a 500 and has no effect", async (_name, body) => {
    const before = await row.effects();
    const unsigned = await post(slug, { body, headers: { "content-type": "application/json" } });
    expect(unsigned.status).toBe(row.refused);
    const signed = await post(slug, { body, headers: row.sign(typeof body === "string" ? body : new TextDecoder().decode(await body.arrayBuffer())) });
    expect(signed.status).toBeLessThan(500);
    if (signed.status !== 200) expect([400, 401]).toContain(signed.status);
    expect(({}) as Record<string, unknown>).not.toHaveProperty("polluted");
    expect(await row.effects()).toBe(before);
  });
});

describe("replays that are not byte-identical", () => {
  it("Stripe: the same event re-signed later (Stripe's own retry) is applied once", async () => {
    const body = stripeBody();
    const id = (JSON.parse(body) as { id: string }).id;
    expect((await post("stripe", { body, headers: stripeSign(body) })).status).toBe(200);
    expect((await post("stripe", { body, headers: stripeSign(body, { timestamp: Math.floor(Date.now() / 1000) + 1 }) })).status).toBe(200);
    expect(await db.processedExternalEvent.count({ where: { source: "stripe", externalId: id } })).toBe(1);
  });

  it("Instagram: the same comment in a new delivery (other time, re-signed) is stored once", async () => {
    const commentId = `${Date.now()}${randomInt(100_000, 999_999)}`;
    const first = instagramBody(commentId);
    const again = first.replace(/"time":\d+/, `"time":${Math.floor(Date.now() / 1000) + 60}`);
    expect(again).not.toBe(first);
    expect((await post("instagram", { body: first, headers: instagramSign(first) })).status).toBe(200);
    expect((await post("instagram", { body: again, headers: instagramSign(again) })).status).toBe(200);
    expect(await db.comment.count({ where: { organizationId: fx.organizationId, externalId: commentId } })).toBe(1);
  });

  it("Mercado Livre: a retry of one notification (same _id, attempts+1) queues one sync", async () => {
    const body = mlBody();
    const id = (JSON.parse(body) as { _id: string })._id;
    const retry = body.replace('"attempts":1', '"attempts":2');
    expect((await post("mercadolivre", { body, headers: {} })).status).toBe(200);
    expect((await post("mercadolivre", { body: retry, headers: {} })).status).toBe(200);
    expect(await jobsLike(`${mlConnectionId}-${id}`)).toBe(1);
  });
});

describe("a captured delivery replayed after the de-duplication window", () => {
  // Signed and well-formed, but older than any provider retry (MAX_DELIVERY_AGE_MS, 7 days, under
  // the 30 days that external-event rows are kept): acknowledged, so nobody retries, and dropped.
  const old = Date.now() - 8 * 24 * 60 * 60 * 1000;

  it("Shopee (signed timestamp in the body): 200, nothing recorded or queued", async () => {
    const body = shopeeBody(old);
    const before = await ROWS.shopee!.effects();
    expect((await post("shopee", { body, headers: shopeeSign(body) })).status).toBe(200);
    expect(await ROWS.shopee!.effects()).toBe(before);
    // The same push signed now is processed: only the age made the difference.
    const fresh = shopeeBody();
    expect((await post("shopee", { body: fresh, headers: shopeeSign(fresh) })).status).toBe(200);
    expect(await ROWS.shopee!.effects()).toBe(before + 2);
  });

  it("Instagram (entry.time in the signed body): 200, no comment stored or announced", async () => {
    const body = instagramBody(undefined, old);
    const before = await ROWS.instagram!.effects();
    expect((await post("instagram", { body, headers: instagramSign(body) })).status).toBe(200);
    expect(await ROWS.instagram!.effects()).toBe(before);
    expect(await ROWS.instagram!.effectOf({ body, headers: {} })).toBe(0);
  });

  it("Mercado Livre (sent): 200, nothing recorded or queued", async () => {
    const sent = new Date(old).toISOString();
    const body = mlBody({ sent, received: sent });
    const before = await ROWS.mercadolivre!.effects();
    expect((await post("mercadolivre", { body, headers: {} })).status).toBe(200);
    expect(await ROWS.mercadolivre!.effects()).toBe(before);
  });
});
