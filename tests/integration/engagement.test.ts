/**
 * Engagement against a real PostgreSQL and the Instagram sandbox served over HTTP, with the real
 * Instagram client: signed comment webhooks through the route handler (valid, invalid, tampered,
 * repeated, one account in two organizations), polling, replies sent once (also after an unknown
 * outcome), the FAILED path and its retry, hide/unhide, and the automations engine (accents,
 * networks, per-thread limit, no loops, AI through a local OpenAI-compatible server, metered, with
 * the template as the fallback). Network effects are checked where they land: in the sandbox.
 */
import { createHmac } from "node:crypto";

import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { GET as webhookGet, POST as webhookPost } from "~/app/api/v1/webhooks/[provider]/route";
import { ConnectorError } from "~/server/connectors/common";
import { createInstagramSandbox, type InstagramSandbox } from "~/server/connectors/sandbox/instagram";
import { createInstagramConnector, type InstagramConnector } from "~/server/connectors/social/instagram";
import { setSocialConnector } from "~/server/connectors/social/registry";
import type { SocialConnector } from "~/server/connectors/social/types";
import { inngest } from "~/server/jobs/client";
import { encrypt } from "~/server/lib/secrets";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { setPacingRate } from "~/server/services/connectors/pacing";
import { applyVisibility, failReplyAfterRetries, sendReply } from "~/server/services/engagement/delivery";
import { runAutomations } from "~/server/services/engagement/engine";
import { SANDBOX_WEBHOOK_VERIFY_TOKEN, storeComments } from "~/server/services/engagement/inbound";
import { pollComments } from "~/server/services/engagement/poll";
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from "../helpers/openai-compatible-server";
import { serveFetch, type ServedFetch } from "../helpers/serve-fetch";
import { callerFor, createOrgFixture, db, outcome, type OrgFixture } from "./helpers/fixtures";

const ACCOUNT = "17841400000000001";
const SECRET = "sandbox-instagram-app-secret";

let quiet: InstagramSandbox;
let quietServed: ServedFetch;
let hooked: InstagramSandbox;
let hookedServed: ServedFetch;
let app: ServedFetch;
let ai: OpenAiCompatibleServer;
let connector: InstagramConnector;
let restore: () => void;
/** What the code under test sent to the queue (the functions are driven directly here). */
const sent: { name: string; data: Record<string, unknown>; id?: string }[] = [];

/** The route handler served over HTTP, as the sandbox's webhook target. */
async function callRoute(request: Request): Promise<Response> {
  const slug = new URL(request.url).pathname.split("/").at(-1)!;
  const next = new NextRequest(request.url, { method: request.method, headers: request.headers, body: request.method === "POST" ? await request.text() : undefined });
  const params = Promise.resolve({ provider: slug });
  return request.method === "GET" ? webhookGet(next, { params }) : webhookPost(next, { params });
}

/** Wraps the real client so a test can make one call answer differently. */
function wrapped(base: InstagramConnector) {
  const overrides: Partial<Pick<SocialConnector, "replyToComment">> = {};
  const proxy = new Proxy(base, {
    get(target, key, receiver) {
      if (key === "replyToComment" && overrides.replyToComment) return overrides.replyToComment;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { proxy, overrides };
}
let net: ReturnType<typeof wrapped>;

beforeAll(async () => {
  app = await serveFetch(callRoute);
  quiet = createInstagramSandbox({ webhookUrl: null });
  quietServed = await serveFetch(quiet.handler);
  hooked = createInstagramSandbox({ webhookUrl: `${app.url}/api/v1/webhooks/instagram`, webhookRetryDelaysMs: [] });
  hookedServed = await serveFetch(hooked.handler);
  ai = await startOpenAiCompatibleServer();
  connector = createInstagramConnector({ graphUrl: quietServed.url, apiUrl: quietServed.url, authUrl: quietServed.url, clientId: quiet.clientId, clientSecret: quiet.clientSecret, isSandbox: true });
  net = wrapped(connector);
  restore = setSocialConnector(net.proxy);
  setPacingRate("INSTAGRAM", 1000);
  vi.spyOn(inngest, "send").mockImplementation((async (payload: unknown) => {
    const list = (Array.isArray(payload) ? payload : [payload]) as { name: string; data: Record<string, unknown>; id?: string }[];
    sent.push(...list);
    return { ids: list.map(() => "x") };
  }) as unknown as typeof inngest.send);
});

afterAll(async () => {
  restore();
  vi.restoreAllMocks();
  await Promise.all([quietServed.close(), hookedServed.close(), app.close(), ai.close()]);
});

beforeEach(() => {
  sent.length = 0;
  net.overrides.replyToComment = undefined;
});

async function connectAccount(fx: OrgFixture, sandbox: InstagramSandbox, accountId = ACCOUNT) {
  const token = sandbox.issueToken(accountId);
  return db.connection.create({
    data: {
      organizationId: fx.organizationId,
      provider: "INSTAGRAM",
      kind: "SOCIAL",
      externalAccountId: accountId,
      accountName: "@lojademo",
      accessTokenEnc: encrypt(token.accessToken),
      expiresAt: new Date(token.expiresAt),
    },
  });
}

const jobCtx = (fx: OrgFixture) => jobTenantCtx(db, { organizationId: fx.organizationId, correlationId: "engagement-test" });

async function firstPostId() {
  const { posts } = await connector.listPosts({ accessToken: quiet.issueToken(ACCOUNT).accessToken, externalAccountId: ACCOUNT }, null);
  return posts[0]!.externalId;
}

/** Replies under a comment as the sandbox shows them. */
async function sandboxReplies(commentId: string) {
  const token = quiet.issueToken(ACCOUNT).accessToken;
  const response = await fetch(`${quietServed.url}/v23.0/${commentId}/replies?fields=id,text,from&access_token=${token}`);
  const body = (await response.json()) as { data: { id: string; text: string }[] };
  return body.data;
}

async function sandboxHidden(commentId: string) {
  const token = quiet.issueToken(ACCOUNT).accessToken;
  const response = await fetch(`${quietServed.url}/v23.0/${commentId}?fields=id,hidden&access_token=${token}`);
  return ((await response.json()) as { hidden?: boolean }).hidden ?? false;
}

/** An audience comment on the quiet sandbox, stored as polling would store it. */
async function audienceComment(fx: OrgFixture, connectionId: string, text: string, options: { username?: string; parentId?: string; postId?: string } = {}) {
  const postId = options.postId ?? (await firstPostId());
  const created = await quiet.addComment({ mediaId: postId, text, username: options.username ?? "ana.cliente", parentId: options.parentId ?? null });
  if ("error" in created) throw new Error(created.error);
  const ids = await storeComments(db, { organizationId: fx.organizationId, connectionId, externalAccountId: ACCOUNT }, [
    {
      externalId: created.id,
      postExternalId: postId,
      parentExternalId: options.parentId ?? null,
      authorExternalId: `author-${options.username ?? "ana.cliente"}`,
      authorName: options.username ?? "ana.cliente",
      text,
      createdAt: new Date(),
      hidden: false,
    },
  ]);
  return { externalId: created.id, id: ids[0]!, postId };
}

describe("Instagram webhooks", () => {
  let fxA: OrgFixture;
  let fxB: OrgFixture;
  beforeAll(async () => {
    // A fresh sandbox numbers its comments from the same start: deliveries recorded by an earlier
    // run against this database would look like repeats.
    await db.processedExternalEvent.deleteMany({ where: { source: "instagram:webhook" } });
    fxA = await createOrgFixture("eng-hook-a");
    fxB = await createOrgFixture("eng-hook-b");
    await connectAccount(fxA, hooked);
    await connectAccount(fxB, hooked);
  });

  const rows = (fx: OrgFixture, externalId: string) => db.comment.findMany({ where: { organizationId: fx.organizationId, externalId } });

  it("answers the subscription handshake with the verify token only", async () => {
    const ok = await fetch(`${app.url}/api/v1/webhooks/instagram?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(SANDBOX_WEBHOOK_VERIFY_TOKEN)}&hub.challenge=12345`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("12345");
    const bad = await fetch(`${app.url}/api/v1/webhooks/instagram?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=12345`);
    expect(bad.status).toBe(403);
    const marketplace = await fetch(`${app.url}/api/v1/webhooks/mercadolivre?hub.mode=subscribe&hub.challenge=1`);
    expect(marketplace.status).toBe(404);
  });

  it("stores a signed comment once in every organization connected to the account and announces it", async () => {
    const postId = await firstPostId();
    const created = await hooked.addComment({ mediaId: postId, text: "Qual o preço do vaso?", username: "joana" });
    if ("error" in created) throw new Error(created.error);
    await hooked.settle();
    expect(hooked.deliveries.filter((d) => d.commentId === created.id).map((d) => d.status)).toEqual([200]);
    const [a] = await rows(fxA, created.id);
    const [b] = await rows(fxB, created.id);
    expect(a).toMatchObject({ text: "Qual o preço do vaso?", authorName: "joana", threadExternalId: created.id, postExternalId: postId, fromAccount: false });
    expect(b?.id).toBeDefined();
    expect(b!.id).not.toBe(a!.id);
    // Other organizations of this database may be connected to the same sandbox account too.
    const ours = [fxA.organizationId, fxB.organizationId];
    const received = sent.filter((e) => e.name === "social/comment.received" && ours.includes(e.data.organizationId as string));
    expect(received.map((e) => e.data.commentId).sort()).toEqual([a!.id, b!.id].sort());
    expect(received.map((e) => e.data.organizationId).sort()).toEqual([fxA.organizationId, fxB.organizationId].sort());
  });

  it("stores a repeated delivery once (same body and signature)", async () => {
    const postId = await firstPostId();
    const body = JSON.stringify({
      object: "instagram",
      entry: [{ id: ACCOUNT, time: Math.floor(Date.now() / 1000), changes: [{ field: "comments", value: { id: "17999000000000777", text: "Tem azul?", from: { id: "555", username: "bia" }, media: { id: postId } } }] }],
    });
    const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
    const post = () => fetch(`${app.url}/api/v1/webhooks/instagram`, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": signature }, body });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200);
    expect(await rows(fxA, "17999000000000777")).toHaveLength(1);
    expect(await rows(fxB, "17999000000000777")).toHaveLength(1);
    expect(await db.processedExternalEvent.count({ where: { source: "instagram:webhook", externalId: "instagram:comment:17999000000000777" } })).toBe(1);
    const ours = [fxA.organizationId, fxB.organizationId];
    expect(sent.filter((e) => e.name === "social/comment.received" && ours.includes(e.data.organizationId as string))).toHaveLength(2);
  });

  it("goes quiet after an automatic reply comes back by webhook (no loop, even with the keyword in the reply)", async () => {
    const hookedConnector = createInstagramConnector({ graphUrl: hookedServed.url, apiUrl: hookedServed.url, authUrl: hookedServed.url, clientId: hooked.clientId, clientSecret: hooked.clientSecret, isSandbox: true });
    const back = setSocialConnector(hookedConnector);
    try {
      const rule = { keywords: ["vaso"], replyTemplate: "O vaso sai por R$ 50, {autor}!", useAi: false, perThreadLimit: 5, networks: [] as ("INSTAGRAM" | "TIKTOK" | "YOUTUBE")[], enabled: true };
      await (await callerFor(fxA.users.MANAGER.userId)).engagement.automations.create({ name: "Vaso A", ...rule });
      await (await callerFor(fxB.users.MANAGER.userId)).engagement.automations.create({ name: "Vaso B", ...rule });
      const postId = await firstPostId();
      const created = await hooked.addComment({ mediaId: postId, text: "Quanto custa o vaso?", username: "gabi" });
      if ("error" in created) throw new Error(created.error);
      await hooked.settle();

      // Drives the queue by hand until nothing new is sent: a loop would never go quiet.
      let rounds = 0;
      for (; rounds < 10; rounds++) {
        const batch = sent.splice(0);
        if (batch.length === 0) break;
        for (const e of batch) {
          const ctx = jobTenantCtx(db, { organizationId: e.data.organizationId as string });
          if (e.name === "social/comment.received") await runAutomations(ctx, { commentId: e.data.commentId as string });
          if (e.name === "social/comment.reply-requested") await sendReply(ctx, { replyId: e.data.replyId as string });
        }
        await hooked.settle();
      }
      expect(rounds).toBeLessThan(10);

      const token = hooked.issueToken(ACCOUNT).accessToken;
      const replies = (await (await fetch(`${hookedServed.url}/v23.0/${created.id}/replies?fields=id,text&access_token=${token}`)).json()) as { data: { id: string; text: string }[] };
      // One automatic answer per organization connected to the account, and nothing after them.
      expect(replies.data.map((r) => r.text)).toEqual(["O vaso sai por R$ 50, gabi!", "O vaso sai por R$ 50, gabi!"]);
      for (const fx of [fxA, fxB]) {
        const thread = await db.comment.findMany({ where: { organizationId: fx.organizationId, threadExternalId: created.id, fromAccount: true } });
        const auto = thread.filter((c) => c.automationId !== null);
        expect(auto).toHaveLength(1);
        expect(auto[0]!.deliveryStatus).toBe("SENT");
        // Its own reply is one row (the webhook copy merged into it); the other organization's reply is a plain fromAccount row.
        expect(thread.filter((c) => c.externalId === auto[0]!.externalId)).toHaveLength(1);
      }
    } finally {
      back();
    }
  });

  it("refuses a bad or tampered signature with 401 and stores nothing", async () => {
    const body = JSON.stringify({
      object: "instagram",
      entry: [{ id: ACCOUNT, time: 1, changes: [{ field: "comments", value: { id: "17999000000000888", text: "oi", from: { id: "556", username: "caio" }, media: { id: "1" } } }] }],
    });
    const good = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
    const wrongKey = `sha256=${createHmac("sha256", "not-the-secret").update(body).digest("hex")}`;
    const tampered = body.replace('"oi"', '"oi!"');
    const post = (payload: string, signature?: string) =>
      fetch(`${app.url}/api/v1/webhooks/instagram`, { method: "POST", headers: { "content-type": "application/json", ...(signature ? { "x-hub-signature-256": signature } : {}) }, body: payload });
    expect((await post(body, wrongKey)).status).toBe(401);
    expect((await post(tampered, good)).status).toBe(401);
    expect((await post(body)).status).toBe(401);
    expect(await db.comment.count({ where: { externalId: "17999000000000888" } })).toBe(0);
    expect(await db.processedExternalEvent.count({ where: { externalId: "instagram:comment:17999000000000888" } })).toBe(0);
    expect(sent).toHaveLength(0);
  });
});

describe("polling", () => {
  let fx: OrgFixture;
  let connectionId: string;
  beforeAll(async () => {
    fx = await createOrgFixture("eng-poll");
    connectionId = (await connectAccount(fx, quiet)).id;
  });

  it("stores new comments once across polls and announces only the new ones", async () => {
    const postId = await firstPostId();
    const one = await quiet.addComment({ mediaId: postId, text: "Primeiro!", username: "leo" });
    const two = await quiet.addComment({ mediaId: postId, text: "Amei", username: "rita" });
    if ("error" in one || "error" in two) throw new Error("sandbox refused the comment");

    const first = await pollComments(jobCtx(fx), { connectionId });
    expect(first.status).toBe("polled");
    const stored = await db.comment.findMany({ where: { organizationId: fx.organizationId, externalId: { in: [one.id, two.id] } } });
    expect(stored).toHaveLength(2);
    const announced = sent.filter((e) => e.name === "social/comment.received").map((e) => e.data.commentId);
    expect(announced).toEqual(expect.arrayContaining(stored.map((s) => s.id)));
    const polledAt = (await db.connection.findUniqueOrThrow({ where: { id: connectionId } })).metadata as { commentsPolledAt?: string };
    expect(polledAt.commentsPolledAt).toBeTruthy();

    sent.length = 0;
    const total = await db.comment.count({ where: { organizationId: fx.organizationId, connectionId } });
    const second = await pollComments(jobCtx(fx), { connectionId });
    expect(second).toMatchObject({ status: "polled", stored: 0 });
    expect(await db.comment.count({ where: { organizationId: fx.organizationId, connectionId } })).toBe(total);
    expect(sent).toHaveLength(0);

    const three = await quiet.addComment({ mediaId: postId, text: "Chega quando?", username: "rita", parentId: one.id });
    if ("error" in three) throw new Error(three.error);
    const third = await pollComments(jobCtx(fx), { connectionId });
    expect(third).toMatchObject({ status: "polled", stored: 1 });
    const reply = await db.comment.findFirstOrThrow({ where: { organizationId: fx.organizationId, externalId: three.id } });
    expect(reply).toMatchObject({ parentExternalId: one.id, threadExternalId: one.id });
  });
});

describe("comments on our own posts", () => {
  it("link to the publication and its permalink, and count in the inbox", async () => {
    const fx = await createOrgFixture("eng-linked");
    const connection = await connectAccount(fx, quiet);
    const postId = await firstPostId();
    const publication = await db.publication.create({
      data: {
        organizationId: fx.organizationId,
        contentId: fx.contentId,
        connectionId: connection.id,
        scheduledAt: new Date(Date.now() - 3_600_000),
        status: "PUBLISHED",
        publishedAt: new Date(Date.now() - 3_600_000),
        externalId: postId,
        permalink: "https://www.instagram.com/p/NOSSO/",
      },
    });
    const added = await quiet.addComment({ mediaId: postId, text: "Chegou hoje, perfeito — zq81", username: "vivi" });
    if ("error" in added) throw new Error(added.error);
    await pollComments(jobCtx(fx), { connectionId: connection.id });
    const row = await db.comment.findFirstOrThrow({ where: { organizationId: fx.organizationId, externalId: added.id } });
    expect(row.publicationId).toBe(publication.id);
    const viewer = await callerFor(fx.users.VIEWER.userId);
    const page = await viewer.engagement.inbox({ limit: 100, connectionId: connection.id, search: "ZQ81" });
    expect(page.items.map((i) => [i.id, i.permalink, i.publicationId, i.replied])).toEqual([[row.id, "https://www.instagram.com/p/NOSSO/", publication.id, false]]);
    expect(await viewer.engagement.accounts()).toEqual(expect.arrayContaining([expect.objectContaining({ id: connection.id, network: "INSTAGRAM" })]));
  });
});

describe("replies and hiding", () => {
  let fx: OrgFixture;
  let connectionId: string;
  beforeAll(async () => {
    fx = await createOrgFixture("eng-reply");
    connectionId = (await connectAccount(fx, quiet)).id;
  });

  it("queues a reply in the request and sends it exactly once", async () => {
    const comment = await audienceComment(fx, connectionId, "Vocês entregam em Recife?");
    const operator = await callerFor(fx.users.OPERATOR.userId);
    const { replyId, delivery } = await operator.engagement.reply({ commentId: comment.id, text: "Entregamos sim!" });
    expect(delivery).toBe("PENDING");
    const pending = await db.comment.findUniqueOrThrow({ where: { id: replyId } });
    expect(pending).toMatchObject({ fromAccount: true, deliveryStatus: "PENDING", externalId: `pending:${replyId}`, parentExternalId: comment.externalId, threadExternalId: comment.externalId });
    expect(sent.filter((e) => e.name === "social/comment.reply-requested").map((e) => e.data.replyId)).toEqual([replyId]);
    expect(await sandboxReplies(comment.externalId)).toHaveLength(0);

    const result = await sendReply(jobCtx(fx), { replyId });
    expect(result.status).toBe("SENT");
    const again = await sendReply(jobCtx(fx), { replyId });
    expect(again).toEqual({ status: "SKIPPED", current: "SENT" });
    const atNetwork = await sandboxReplies(comment.externalId);
    expect(atNetwork.map((r) => r.text)).toEqual(["Entregamos sim!"]);
    const row = await db.comment.findUniqueOrThrow({ where: { id: replyId } });
    expect(row).toMatchObject({ deliveryStatus: "SENT", externalId: atNetwork[0]!.id });
    expect((await db.comment.findUniqueOrThrow({ where: { id: comment.id } })).repliedAt).not.toBeNull();

    const thread = await operator.engagement.thread({ commentId: comment.id });
    expect(thread.root?.id).toBe(comment.id);
    expect(thread.comments.map((c) => [c.text, c.delivery])).toEqual([["Entregamos sim!", "SENT"]]);
    const inbox = await operator.engagement.inbox({ limit: 50, status: "unanswered" });
    expect(inbox.items.map((i) => i.id)).not.toContain(comment.id);
  });

  it("after an unknown outcome, finds the reply at the network instead of sending it again", async () => {
    const comment = await audienceComment(fx, connectionId, "Aceita Pix?");
    const operator = await callerFor(fx.users.OPERATOR.userId);
    const { replyId } = await operator.engagement.reply({ commentId: comment.id, text: "Aceitamos Pix e cartão." });
    // The reply reaches the network, the answer never comes back.
    net.overrides.replyToComment = async (creds, target) => {
      await connector.replyToComment(creds, target);
      throw new ConnectorError("outcome_unknown", "no answer");
    };
    await expect(sendReply(jobCtx(fx), { replyId })).rejects.toThrow("no answer");
    expect((await db.comment.findUniqueOrThrow({ where: { id: replyId } })).deliveryStatus).toBe("SENDING");
    net.overrides.replyToComment = undefined;
    const resumed = await sendReply(jobCtx(fx), { replyId });
    expect(resumed).toMatchObject({ status: "SENT", found: true });
    expect((await sandboxReplies(comment.externalId)).map((r) => r.text)).toEqual(["Aceitamos Pix e cartão."]);
  });

  it("when the network writes the reply but the connection drops, the next attempt finds it (one reply at the network)", async () => {
    const comment = await audienceComment(fx, connectionId, "Vende no atacado?");
    const operator = await callerFor(fx.users.OPERATOR.userId);
    const { replyId } = await operator.engagement.reply({ commentId: comment.id, text: "Vendemos sim, chama no direct." });
    quiet.setFaults({ reply: { mode: "drop", count: 1 } });
    await expect(sendReply(jobCtx(fx), { replyId })).rejects.toThrow();
    expect((await db.comment.findUniqueOrThrow({ where: { id: replyId } })).deliveryStatus).toBe("SENDING");
    expect(await sendReply(jobCtx(fx), { replyId })).toMatchObject({ status: "SENT", found: true });
    expect((await sandboxReplies(comment.externalId)).map((r) => r.text)).toEqual(["Vendemos sim, chama no direct."]);
  });

  it("marks a refused reply FAILED with the reason, and a retry queues it again", async () => {
    const comment = await audienceComment(fx, connectionId, "Tem loja física?");
    const operator = await callerFor(fx.users.OPERATOR.userId);
    const { replyId } = await operator.engagement.reply({ commentId: comment.id, text: "Só online por enquanto." });
    net.overrides.replyToComment = () => Promise.reject(new ConnectorError("refused", "(#100) The comment is not available", { status: 400 }));
    const failed = await sendReply(jobCtx(fx), { replyId });
    expect(failed).toMatchObject({ status: "FAILED" });
    const row = await db.comment.findUniqueOrThrow({ where: { id: replyId } });
    expect(row.deliveryStatus).toBe("FAILED");
    expect(row.deliveryError).toContain("not available");

    sent.length = 0;
    expect(await operator.engagement.retryReply({ replyId })).toEqual({ replyId, delivery: "PENDING" });
    expect(sent.map((e) => e.name)).toEqual(["social/comment.reply-requested"]);
    expect(await outcome(() => operator.engagement.retryReply({ replyId }))).toBe("CONFLICT");
    net.overrides.replyToComment = undefined;
    expect(await sendReply(jobCtx(fx), { replyId })).toMatchObject({ status: "SENT", found: false });
    expect((await sandboxReplies(comment.externalId)).map((r) => r.text)).toEqual(["Só online por enquanto."]);
  });

  it("the network's webhook copy of the reply, stored while the reply is being recorded, leaves one SENT row", async () => {
    const comment = await audienceComment(fx, connectionId, "Tem em azul?");
    const operator = await callerFor(fx.users.OPERATOR.userId);
    const { replyId } = await operator.engagement.reply({ commentId: comment.id, text: "Tem sim, em três tons." });
    let networkId = "";
    net.overrides.replyToComment = async (creds, target) => {
      const result = await connector.replyToComment(creds, target);
      networkId = result.externalId;
      return result;
    };
    // The echo commits right after markReplySent looked for it (as an Instagram webhook can).
    let echoed = false;
    const racing = new Proxy(db, {
      get(target, key) {
        if (key !== "$transaction") return Reflect.get(target, key) as unknown;
        return (fn: (tx: unknown) => Promise<unknown>) =>
          target.$transaction((tx) =>
            fn(
              new Proxy(tx, {
                get(txTarget, txKey) {
                  if (txKey !== "comment") return Reflect.get(txTarget, txKey) as unknown;
                  return new Proxy(txTarget.comment, {
                    get(model, method) {
                      if (method !== "deleteMany") return Reflect.get(model, method) as unknown;
                      return async (args: Parameters<typeof model.deleteMany>[0]) => {
                        const result = await model.deleteMany(args);
                        if (!echoed) {
                          echoed = true;
                          await storeComments(db, { organizationId: fx.organizationId, connectionId, externalAccountId: ACCOUNT }, [
                            { externalId: networkId, postExternalId: comment.postId, parentExternalId: comment.externalId, authorExternalId: ACCOUNT, authorName: "lojademo", text: "Tem sim, em três tons.", createdAt: new Date(), hidden: false },
                          ]);
                        }
                        return result;
                      };
                    },
                  });
                },
              }),
            ),
          );
      },
    });
    const result = await sendReply(jobTenantCtx(racing, { organizationId: fx.organizationId, correlationId: "engagement-test" }), { replyId });
    expect(echoed).toBe(true);
    expect(result).toMatchObject({ status: "SENT", externalId: networkId });
    const rows = await db.comment.findMany({ where: { organizationId: fx.organizationId, connectionId, threadExternalId: comment.externalId, fromAccount: true } });
    expect(rows.map((r) => [r.id, r.externalId, r.deliveryStatus])).toEqual([[replyId, networkId, "SENT"]]);
  });

  it("records the last reason when the retries run out", async () => {
    const comment = await audienceComment(fx, connectionId, "Qual o prazo?");
    const operator = await callerFor(fx.users.OPERATOR.userId);
    const { replyId } = await operator.engagement.reply({ commentId: comment.id, text: "De 3 a 5 dias úteis." });
    net.overrides.replyToComment = () => Promise.reject(new ConnectorError("transient", "Instagram answered 500"));
    await expect(sendReply(jobCtx(fx), { replyId })).rejects.toThrow("500");
    expect((await db.comment.findUniqueOrThrow({ where: { id: replyId } })).deliveryStatus).toBe("PENDING");
    expect(await failReplyAfterRetries(jobCtx(fx), { replyId, error: "step failed" })).toMatchObject({ status: "FAILED", reason: "Instagram answered 500" });
    expect(await sandboxReplies(comment.externalId)).toHaveLength(0);
  });

  it("refuses an empty or too long reply before queueing anything", async () => {
    const comment = await audienceComment(fx, connectionId, "Oi");
    const operator = await callerFor(fx.users.OPERATOR.userId);
    expect(await outcome(() => operator.engagement.reply({ commentId: comment.id, text: "   " }))).toBe("BAD_REQUEST");
    expect(await outcome(() => operator.engagement.reply({ commentId: comment.id, text: "x".repeat(2201) }))).toBe("BAD_REQUEST");
    expect(sent).toHaveLength(0);
  });

  it("hides and unhides a comment through the background function", async () => {
    const comment = await audienceComment(fx, connectionId, "Spam spam spam");
    const operator = await callerFor(fx.users.OPERATOR.userId);
    expect(await operator.engagement.setHidden({ commentId: comment.id, hidden: true })).toEqual({ commentId: comment.id, visibility: "hiding" });
    expect(sent.filter((e) => e.name === "social/comment.visibility-requested").map((e) => e.data)).toEqual([expect.objectContaining({ commentId: comment.id, hidden: true })]);
    expect((await operator.engagement.thread({ commentId: comment.id })).root?.visibility).toBe("hiding");
    expect(await sandboxHidden(comment.externalId)).toBe(false);

    expect(await applyVisibility(jobCtx(fx), { commentId: comment.id, hidden: true })).toEqual({ status: "DONE", hidden: true });
    expect(await sandboxHidden(comment.externalId)).toBe(true);
    const hidden = await db.comment.findUniqueOrThrow({ where: { id: comment.id } });
    expect(hidden.hiddenAt).not.toBeNull();
    expect(hidden.deliveryStatus).toBeNull();
    expect((await operator.engagement.inbox({ limit: 50, status: "hidden" })).items.map((i) => i.id)).toContain(comment.id);

    await operator.engagement.setHidden({ commentId: comment.id, hidden: false });
    // A stale hide request that arrives after the unhide does nothing.
    expect(await applyVisibility(jobCtx(fx), { commentId: comment.id, hidden: true })).toMatchObject({ status: "SKIPPED" });
    expect(await applyVisibility(jobCtx(fx), { commentId: comment.id, hidden: false })).toEqual({ status: "DONE", hidden: false });
    expect(await sandboxHidden(comment.externalId)).toBe(false);
    expect((await db.comment.findUniqueOrThrow({ where: { id: comment.id } })).hiddenAt).toBeNull();
  });

  it("lets a viewer read but not reply or hide", async () => {
    const comment = await audienceComment(fx, connectionId, "Olá");
    const viewer = await callerFor(fx.users.VIEWER.userId);
    expect((await viewer.engagement.inbox({ limit: 50 })).items.map((i) => i.id)).toContain(comment.id);
    expect(await outcome(() => viewer.engagement.reply({ commentId: comment.id, text: "oi" }))).toBe("FORBIDDEN");
    expect(await outcome(() => viewer.engagement.setHidden({ commentId: comment.id, hidden: true }))).toBe("FORBIDDEN");
  });
});

describe("automations", () => {
  let fx: OrgFixture;
  let connectionId: string;
  beforeAll(async () => {
    fx = await createOrgFixture("eng-auto");
    connectionId = (await connectAccount(fx, quiet)).id;
    // The fixture's own rule ("preço") would answer first; this suite makes its own.
    await db.automation.updateMany({ where: { organizationId: fx.organizationId }, data: { enabled: false } });
  });
  beforeEach(async () => {
    await db.automation.updateMany({ where: { organizationId: fx.organizationId, deletedAt: null }, data: { deletedAt: new Date() } });
    ai.reset();
  });

  const manager = () => callerFor(fx.users.MANAGER.userId);
  const createRule = async (input: Partial<Parameters<Awaited<ReturnType<typeof manager>>["engagement"]["automations"]["create"]>[0]> = {}) =>
    (await manager()).engagement.automations.create({
      name: "Preço",
      keywords: ["preço"],
      replyTemplate: "Oi {autor}! Mandamos o preço por DM.",
      useAi: false,
      perThreadLimit: 1,
      networks: [],
      enabled: true,
      ...input,
    });

  it("answers a comment whose keyword matches without case or accents, once per comment", async () => {
    const rule = await createRule();
    const comment = await audienceComment(fx, connectionId, "Qual o PRECO desse?", { username: "marta" });
    const result = await runAutomations(jobCtx(fx), { commentId: comment.id });
    expect(result).toMatchObject({ status: "replied", automationId: rule.id, generator: "template" });
    if (result.status !== "replied") throw new Error("expected a reply");
    const reply = await db.comment.findUniqueOrThrow({ where: { id: result.replyId } });
    expect(reply).toMatchObject({ text: "Oi marta! Mandamos o preço por DM.", automationId: rule.id, fromAccount: true, deliveryStatus: "PENDING", threadExternalId: comment.externalId });
    expect(sent.filter((e) => e.name === "social/comment.reply-requested").map((e) => e.data.replyId)).toEqual([result.replyId]);
    expect(await runAutomations(jobCtx(fx), { commentId: comment.id })).toEqual({ status: "skipped", reason: "already_handled" });
    expect(await sendReply(jobCtx(fx), { replyId: result.replyId })).toMatchObject({ status: "SENT" });
    expect((await sandboxReplies(comment.externalId)).map((r) => r.text)).toEqual(["Oi marta! Mandamos o preço por DM."]);
  });

  it("does not match inside other words, and listens only on its networks", async () => {
    await createRule({ keywords: ["ar"], replyTemplate: "Temos ar-condicionado." });
    const inWord = await audienceComment(fx, connectionId, "Que carro lindo");
    expect(await runAutomations(jobCtx(fx), { commentId: inWord.id })).toEqual({ status: "skipped", reason: "no_match" });

    await createRule({ name: "Só TikTok", keywords: ["frete"], networks: ["TIKTOK", "YOUTUBE"] });
    const other = await audienceComment(fx, connectionId, "Quanto é o frete?");
    expect(await runAutomations(jobCtx(fx), { commentId: other.id })).toEqual({ status: "skipped", reason: "no_match" });
    await createRule({ name: "Instagram", keywords: ["frete"], networks: ["INSTAGRAM"], replyTemplate: "Frete grátis acima de R$ 100." });
    expect(await runAutomations(jobCtx(fx), { commentId: other.id })).toMatchObject({ status: "replied" });
  });

  it("stops at the per-thread limit", async () => {
    await createRule({ keywords: ["tamanho"], replyTemplate: "Veja a tabela de medidas no link da bio.", perThreadLimit: 2 });
    const root = await audienceComment(fx, connectionId, "Tem tamanho G?", { username: "paula" });
    const second = await audienceComment(fx, connectionId, "E tamanho GG?", { username: "paula", parentId: root.externalId, postId: root.postId });
    const third = await audienceComment(fx, connectionId, "E tamanho P?", { username: "rui", parentId: root.externalId, postId: root.postId });
    expect(await runAutomations(jobCtx(fx), { commentId: root.id })).toMatchObject({ status: "replied" });
    expect(await runAutomations(jobCtx(fx), { commentId: second.id })).toMatchObject({ status: "replied" });
    expect(await runAutomations(jobCtx(fx), { commentId: third.id })).toEqual({ status: "skipped", reason: "thread_limit" });
    expect(await db.comment.count({ where: { organizationId: fx.organizationId, threadExternalId: root.externalId, automationId: { not: null } } })).toBe(2);
    expect((await db.comment.findUniqueOrThrow({ where: { id: root.id } })).autoReplies).toBe(2);
  });

  it("never answers its own reply when it comes back (no loop)", async () => {
    // The reply itself contains the keyword: if it triggered the rule, it would answer forever.
    await createRule({ keywords: ["preço"], replyTemplate: "O preço está no direct, {autor}!", perThreadLimit: 5 });
    // Everything already on the account's posts is stored first, so the poll below can only find our reply.
    await pollComments(jobCtx(fx), { connectionId });
    const comment = await audienceComment(fx, connectionId, "preço?", { username: "duda" });
    const first = await runAutomations(jobCtx(fx), { commentId: comment.id });
    if (first.status !== "replied") throw new Error("expected a reply");
    await sendReply(jobCtx(fx), { replyId: first.replyId });
    const sentReply = await db.comment.findUniqueOrThrow({ where: { id: first.replyId } });

    // It comes back by polling: the same network id, so nothing new is stored or announced.
    sent.length = 0;
    await pollComments(jobCtx(fx), { connectionId });
    expect(await db.comment.count({ where: { organizationId: fx.organizationId, externalId: sentReply.externalId } })).toBe(1);
    expect(sent.filter((e) => e.name === "social/comment.received")).toHaveLength(0);

    // Our account's comment arriving as a new row (typed in the app, or before we knew the id) is ignored too.
    const [echo] = await storeComments(db, { organizationId: fx.organizationId, connectionId, externalAccountId: ACCOUNT }, [
      { externalId: "17999000000000999", postExternalId: comment.postId, parentExternalId: comment.externalId, authorExternalId: ACCOUNT, authorName: "lojademo", text: "O preço está no direct!", createdAt: new Date(), hidden: false },
    ]);
    expect((await db.comment.findUniqueOrThrow({ where: { id: echo! } })).fromAccount).toBe(true);
    expect(await runAutomations(jobCtx(fx), { commentId: echo! })).toEqual({ status: "skipped", reason: "own_comment" });
    expect(await runAutomations(jobCtx(fx), { commentId: first.replyId })).toEqual({ status: "skipped", reason: "own_comment" });
    expect(await db.comment.count({ where: { organizationId: fx.organizationId, threadExternalId: comment.externalId, automationId: { not: null } } })).toBe(1);
  });

  it("writes the reply with the AI and meters it as comment_reply", async () => {
    await createRule({ keywords: ["cor"], replyTemplate: "Diga que temos azul e verde e convide a ver os destaques.", useAi: true });
    const comment = await audienceComment(fx, connectionId, "Tem outra cor?", { username: "lia" });
    ai.script({ kind: "content", content: "Oi, Lia! Temos azul e verde — dá uma olhada nos destaques. 💙", promptTokens: 200, completionTokens: 40 });
    const before = await db.aiUsage.count({ where: { organizationId: fx.organizationId } });
    const result = await runAutomations(jobCtx(fx), { commentId: comment.id }, { aiProvider: { baseURL: ai.baseURL, model: "test-model" } });
    expect(result).toMatchObject({ status: "replied", generator: "ai" });
    if (result.status !== "replied") throw new Error("expected a reply");
    expect((await db.comment.findUniqueOrThrow({ where: { id: result.replyId } })).text).toBe("Oi, Lia! Temos azul e verde — dá uma olhada nos destaques. 💙");
    expect(ai.received).toHaveLength(1);
    expect(JSON.stringify(ai.received[0]!.messages)).toContain("Tem outra cor?");
    const usage = await db.aiUsage.findMany({ where: { organizationId: fx.organizationId }, orderBy: { createdAt: "desc" }, take: 1 });
    expect(await db.aiUsage.count({ where: { organizationId: fx.organizationId } })).toBe(before + 1);
    expect(usage[0]).toMatchObject({ feature: "comment_reply", provider: "openai-compatible", model: "test-model", promptTokens: 200, completionTokens: 40, credits: 1, outcome: "ok" });
  });

  it("falls back to the template when the AI provider fails (both metered)", async () => {
    await createRule({ keywords: ["entrega"], replyTemplate: "Entregamos em todo o Brasil, {autor}.", useAi: true });
    const comment = await audienceComment(fx, connectionId, "Fazem entrega?", { username: "téo" });
    ai.script({ kind: "status", status: 500 });
    const since = new Date();
    const result = await runAutomations(jobCtx(fx), { commentId: comment.id }, { aiProvider: { baseURL: ai.baseURL, model: "test-model" } });
    expect(result).toMatchObject({ status: "replied", generator: "template" });
    if (result.status !== "replied") throw new Error("expected a reply");
    expect((await db.comment.findUniqueOrThrow({ where: { id: result.replyId } })).text).toBe("Entregamos em todo o Brasil, téo.");
    const usage = await db.aiUsage.findMany({ where: { organizationId: fx.organizationId, feature: "comment_reply", createdAt: { gte: since } }, orderBy: { createdAt: "asc" } });
    expect(usage.map((u) => [u.provider, u.outcome, u.credits])).toEqual([
      ["openai-compatible", "error", 0],
      ["local", "ok", 0],
    ]);
  });

  it("previews a draft and a saved rule without calling anything", async () => {
    const rule = await createRule({ keywords: ["preço", "valor"], networks: ["INSTAGRAM"] });
    const viewer = await callerFor(fx.users.VIEWER.userId);
    expect(await viewer.engagement.automations.preview({ automationId: rule.id, text: "Qual o VALOR?", authorName: "nina" })).toEqual({
      matches: true,
      keyword: "valor",
      networkApplies: true,
      reply: "Oi nina! Mandamos o preço por DM.",
      aiWritten: false,
    });
    expect(await viewer.engagement.automations.preview({ automationId: rule.id, text: "Qual o valor?", network: "TIKTOK" })).toMatchObject({ matches: false, networkApplies: false, reply: null });
    expect(
      await viewer.engagement.automations.preview({ draft: { keywords: ["promoção"], replyTemplate: "Sim, {author}!", networks: [] }, text: "tem PROMOCAO hoje?", authorName: "@gui" }),
    ).toMatchObject({ matches: true, keyword: "promoção", reply: "Sim, gui!" });
    expect(await outcome(() => viewer.engagement.automations.create({ name: "x1", keywords: ["a"], replyTemplate: "b", useAi: false, perThreadLimit: 1, networks: [], enabled: true }))).toBe("FORBIDDEN");
  });

  it("validates and edits rules", async () => {
    const m = await manager();
    expect(await outcome(() => createRule({ keywords: [] }))).toBe("BAD_REQUEST");
    expect(await outcome(() => createRule({ keywords: Array.from({ length: 21 }, (_, i) => `k${i}`) }))).toBe("BAD_REQUEST");
    expect(await outcome(() => createRule({ perThreadLimit: 6 }))).toBe("BAD_REQUEST");
    // TikTok takes 150 characters per comment.
    expect(await outcome(() => createRule({ networks: ["TIKTOK"], replyTemplate: "x".repeat(151) }))).toBe("BAD_REQUEST");
    const rule = await createRule({ keywords: ["Preço", "preco", " valor "] });
    expect(rule.keywords).toEqual(["Preço", "valor"]);
    const updated = await m.engagement.automations.update({ id: rule.id, enabled: false, perThreadLimit: 3 });
    expect(updated).toMatchObject({ enabled: false, perThreadLimit: 3, keywords: ["Preço", "valor"] });
    const comment = await audienceComment(fx, connectionId, "qual o preço?");
    expect(await runAutomations(jobCtx(fx), { commentId: comment.id })).toEqual({ status: "skipped", reason: "no_match" });
    await m.engagement.automations.remove({ id: rule.id });
    expect((await m.engagement.automations.list()).map((a) => a.id)).not.toContain(rule.id);
    expect(await outcome(() => m.engagement.automations.update({ id: rule.id, enabled: true }))).toBe("NOT_FOUND");
  });
});
