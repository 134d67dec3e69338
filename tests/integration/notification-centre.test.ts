/**
 * The notification centre against a real PostgreSQL, the Mercado Livre sandbox over HTTP and a
 * real SMTP server (smtp-server on a random port): notifications raised by their real code paths
 * (a refused token refresh, an approved action that cannot be applied, AI credits used up), read
 * state per person, role visibility, per-person preferences (in-app off hides, e-mail on sends),
 * the e-mail sent by the background function through the local runner in the reader's language,
 * never twice, and only logged when no SMTP server is configured.
 */
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { env } from "~/env";
import { aiCallGate } from "~/server/billing/entitlements";
import { notificationFunctions } from "~/server/jobs/functions/notifications";
import { startLocalRunner } from "~/server/jobs/local/runner";
import { decrypt } from "~/server/lib/secrets";
import { configureMailer } from "~/server/lib/mailer";
import { insertAction } from "~/server/repositories/actions";
import { applyAction } from "~/server/services/actions/apply";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { refreshConnectionToken } from "~/server/services/connectors/tokens";
import { startSync, syncNextPage } from "~/server/services/listings/sync";
import { EMAIL_CLAIM_LEASE_MS, emailNotification } from "~/server/services/notifications/email";
import { requeueRecentEmails } from "~/server/services/notifications/notify";
import { connectSandboxSeller, serveMercadoLivreSandbox, type ServedSandbox } from "./helpers/mercadolivre-sandbox";
import { callerFor, createOrgFixture, db, type OrgFixture, setPlan, tenantCtxOf } from "./helpers/fixtures";

type Received = { from: string; to: string[]; raw: string };

let served: ServedSandbox;
let smtp: SMTPServer;
let smtpPort: number;
const inbox: Received[] = [];

/** Decodes what the test needs of a MIME message: encoded-word headers and a quoted-printable body. */
function decodeQuotedPrintable(text: string) {
  const bytes: number[] = [];
  const soft = text.replace(/=\r?\n/g, "");
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === "=" && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i]!, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}
function parseMail(raw: string) {
  const [head = "", ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = head.replace(/\r?\n[ \t]+/g, " ");
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, "im").exec(headers)?.[1] ?? "";
  const words = (value: string) =>
    value.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_, enc: string, data: string) =>
      enc.toUpperCase() === "B" ? Buffer.from(data, "base64").toString("utf8") : decodeQuotedPrintable(data.replace(/_/g, " ")),
    );
  const body = rest.join("\n\n");
  const encoding = header("Content-Transfer-Encoding").toLowerCase();
  return {
    subject: words(header("Subject")).trim(),
    body: encoding === "quoted-printable" ? decodeQuotedPrintable(body) : encoding === "base64" ? Buffer.from(body, "base64").toString("utf8") : body,
  };
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An organization whose only notifications will be the test's (the fixture leaves one of its own). */
async function cleanOrg(label: string) {
  const fx = await createOrgFixture(label);
  await db.notification.deleteMany({ where: { organizationId: fx.organizationId } });
  return fx;
}

/** Connects a sandbox seller and ingests its (small) catalog. */
async function connectedSeller(fx: OrgFixture, sellerId: number) {
  const connection = await connectSandboxSeller(tenantCtxOf(fx), sellerId);
  const job = jobTenantCtx(db, { organizationId: fx.organizationId });
  const { generation } = await startSync(job, { connectionId: connection.id, mode: "full" });
  for (let i = 0; i < 10 && !(await syncNextPage(job, { connectionId: connection.id, generation })).done; i++);
  return connection.id;
}

/** Someone else spends the single-use refresh token; our forced refresh is then refused (invalid_grant). */
async function breakAuthorization(fx: OrgFixture, connectionId: string) {
  const row = await db.connection.findUniqueOrThrow({ where: { id: connectionId } });
  await served.connector.refresh(decrypt(row.refreshTokenEnc!), { externalAccountId: row.externalAccountId });
  return refreshConnectionToken(jobTenantCtx(db, { organizationId: fx.organizationId }), connectionId, { force: true });
}

beforeAll(async () => {
  served = await serveMercadoLivreSandbox({ catalogSize: 6, rateLimitPerSecond: 0, notificationUrl: null, tokenSecret: "notification-centre-test" });
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    logger: false,
    onAuth: (auth, _session, callback) => (auth.username === "mailer" && auth.password === "s3cret" ? callback(null, { user: "mailer" }) : callback(new Error("bad credentials"))),
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        inbox.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", () => resolve()));
  smtpPort = (smtp.server.address() as { port: number }).port;
}, 60_000);

afterEach(() => configureMailer(null));

afterAll(async () => {
  configureMailer(null);
  await served?.close();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
});

describe("events from their code paths, read per person", () => {
  it("a refused token refresh tells every member to reconnect; an approved action that then fails tells its approver", async () => {
    const fx = await cleanOrg("notify-reconnect");
    const connectionId = await connectedSeller(fx, 320_000_001);
    const listing = await db.listing.findFirstOrThrow({ where: { organizationId: fx.organizationId, connectionId, status: "ACTIVE" } });
    const { id: actionId } = await insertAction(db, fx.organizationId, { listingId: listing.id, type: "RESTOCK_ALERT", payload: { currentStock: 1, daysOfCover: 2, suggestedStock: 40 }, reason: "test", expectedGain: 3 });
    const operator = await callerFor(fx.users.OPERATOR.userId);
    await operator.actions.approve({ id: actionId });

    expect(await breakAuthorization(fx, connectionId)).toEqual({ ok: false, reason: "needs_reconnect" });
    const owner = await callerFor(fx.users.OWNER.userId);
    const viewer = await callerFor(fx.users.VIEWER.userId);
    const ownerList = await owner.notifications.list({ limit: 10 });
    expect(ownerList.items).toHaveLength(1);
    expect(ownerList.items[0]).toMatchObject({ kind: "connection.needsReconnect", link: "/settings/connections", readAt: null, params: { connectionId, provider: "MERCADOLIVRE" } });
    expect((await viewer.notifications.unreadCount()).count).toBe(1);

    // The apply step finds the account needing a reconnect: the action fails and its approver hears it.
    const outcome = await applyAction(jobTenantCtx(db, { organizationId: fx.organizationId, userId: fx.users.OPERATOR.userId }), { actionId });
    expect(outcome).toMatchObject({ status: "FAILED", code: "connection.needs_reconnect" });
    const operatorItems = (await operator.notifications.list({ limit: 10 })).items;
    expect(operatorItems.map((n) => n.kind).sort()).toEqual(["action.failed", "connection.needsReconnect"]);
    expect(operatorItems.find((n) => n.kind === "action.failed")).toMatchObject({ link: "/seller/actions", params: { actionId, type: "RESTOCK_ALERT", code: "connection.needs_reconnect" } });
    // Addressed to the approver: the viewer still sees only the broadcast.
    expect((await viewer.notifications.list({ limit: 10 })).items.map((n) => n.kind)).toEqual(["connection.needsReconnect"]);

    // Read state is each person's: the owner reading does not read it for the viewer.
    const reconnectId = ownerList.items[0]!.id;
    await owner.notifications.markRead({ id: reconnectId });
    expect((await owner.notifications.unreadCount()).count).toBe(0);
    expect((await owner.notifications.list({ limit: 10 })).items[0]!.readAt).toBeInstanceOf(Date);
    expect((await viewer.notifications.unreadCount()).count).toBe(1);
    expect((await viewer.notifications.list({ limit: 10, unreadOnly: true })).items.map((n) => n.id)).toEqual([reconnectId]);
    expect(await operator.notifications.markAllRead()).toEqual({ updated: 2 });
    expect((await operator.notifications.unreadCount()).count).toBe(0);
    expect((await viewer.notifications.unreadCount()).count).toBe(1);
  });

  it("AI credits used up: one notification a month, seen only by those who see billing", async () => {
    const fx = await cleanOrg("notify-ai");
    await setPlan(fx.organizationId, "gratis"); // 50 credits
    await db.aiUsage.create({ data: { organizationId: fx.organizationId, feature: "actions.title", provider: "openai-compatible", model: "m", promptTokens: 60_000, completionTokens: 0, credits: 60, latencyMs: 1 } });
    expect(await aiCallGate(db, fx.organizationId)).toMatchObject({ allowed: false, blockedBy: "credits" });
    expect(await aiCallGate(db, fx.organizationId)).toMatchObject({ allowed: false, blockedBy: "credits" });
    expect(await db.notification.count({ where: { organizationId: fx.organizationId, kind: "ai.limitReached" } })).toBe(1);
    for (const role of ["OWNER", "MANAGER"] as const) {
      const items = (await (await callerFor(fx.users[role].userId)).notifications.list({ limit: 10 })).items;
      expect(items.map((n) => n.kind), role).toEqual(["ai.limitReached"]);
      expect(items[0]!.params).toMatchObject({ used: 60, max: 50, plan: "Grátis" });
    }
    for (const role of ["OPERATOR", "VIEWER"] as const) {
      const caller = await callerFor(fx.users[role].userId);
      expect((await caller.notifications.unreadCount()).count, role).toBe(0);
      // Another's notification id is NOT_FOUND whether it is hidden by role or belongs to another organization.
      const id = (await db.notification.findFirstOrThrow({ where: { organizationId: fx.organizationId, kind: "ai.limitReached" } })).id;
      await expect(caller.notifications.markRead({ id })).rejects.toMatchObject({ code: "NOT_FOUND" });
      // Nor can they ask for the category: it is not theirs to set.
      expect((await caller.notifications.preferences()).categories.map((c) => c.category)).not.toContain("limits");
    }
  });
});

describe("preferences", () => {
  it("in-app off hides the category from the bell; e-mail on sends it through SMTP in the reader's language, once", async () => {
    configureMailer({ smtpUrl: `smtp://mailer:s3cret@127.0.0.1:${smtpPort}` });
    const fx = await cleanOrg("notify-prefs");
    await db.user.update({ where: { id: fx.users.MANAGER.userId }, data: { locale: "en" } });
    const viewer = await callerFor(fx.users.VIEWER.userId);
    const owner = await callerFor(fx.users.OWNER.userId);
    const manager = await callerFor(fx.users.MANAGER.userId);

    const defaults = await viewer.notifications.preferences();
    expect(defaults.categories).toEqual([
      { category: "connections", inApp: true, email: false },
      { category: "publishing", inApp: true, email: false },
      { category: "actions", inApp: true, email: false },
    ]);
    await viewer.notifications.updatePreferences({ categories: [{ category: "connections", inApp: false, email: false }] });
    await owner.notifications.updatePreferences({ categories: [{ category: "connections", inApp: true, email: true }] });
    const saved = await manager.notifications.updatePreferences({ categories: [{ category: "connections", inApp: true, email: true }, { category: "billing", inApp: false, email: true }] });
    expect(saved.categories.find((c) => c.category === "billing")).toEqual({ category: "billing", inApp: false, email: true });

    const runner = await startLocalRunner({ functions: notificationFunctions, cron: false, pollIntervalMs: 100, retryDelay: () => 200, concurrency: 2 });
    const before = inbox.length;
    let connectionId = "";
    try {
      await runner.ready;
      connectionId = await connectedSeller(fx, 320_000_002);
      expect(await breakAuthorization(fx, connectionId)).toEqual({ ok: false, reason: "needs_reconnect" });
      await waitFor("two e-mails", async () => inbox.length - before >= 2);
      // Let a duplicate (if any) arrive before counting.
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      await runner.stop();
    }
    const mails = inbox.slice(before);
    expect(mails).toHaveLength(2);
    const ownerEmail = (await db.user.findUniqueOrThrow({ where: { id: fx.users.OWNER.userId } })).email;
    const managerEmail = (await db.user.findUniqueOrThrow({ where: { id: fx.users.MANAGER.userId } })).email;
    expect(mails.map((m) => m.to[0]).sort()).toEqual([ownerEmail, managerEmail].sort());
    const org = await db.organization.findUniqueOrThrow({ where: { id: fx.organizationId } });
    const account = (await db.connection.findUniqueOrThrow({ where: { id: connectionId } })).accountName!;

    const pt = parseMail(mails.find((m) => m.to[0] === ownerEmail)!.raw);
    expect(pt.subject).toBe(`Super Seller · ${org.name}: Conexões`);
    expect(pt.body).toContain(`A conta ${account} (Mercado Livre) precisa ser reconectada`);
    expect(pt.body).toContain(`Abrir no Super Seller: ${env.APP_URL.replace(/\/+$/, "")}/settings/connections`);
    const en = parseMail(mails.find((m) => m.to[0] === managerEmail)!.raw);
    expect(en.subject).toBe(`Super Seller · ${org.name}: Connections`);
    expect(en.body).toContain(`The ${account} account (Mercado Livre) must be reconnected`);
    expect(en.body).toContain(`${env.APP_URL.replace(/\/+$/, "")}/settings/notifications`);

    // The viewer switched the category off in the app: no badge, no row; the others still see it.
    expect((await viewer.notifications.unreadCount()).count).toBe(0);
    expect((await viewer.notifications.list({ limit: 10 })).items).toEqual([]);
    expect((await owner.notifications.unreadCount()).count).toBe(1);

    // A repeated run (a retried step, a duplicated event) sends nothing more.
    const note = await db.notification.findFirstOrThrow({ where: { organizationId: fx.organizationId, kind: "connection.needsReconnect" } });
    expect(await emailNotification(db, { organizationId: fx.organizationId, notificationId: note.id })).toEqual({ status: "done", sent: 0, logged: 0, skipped: 2 });
    expect(inbox.length - before).toBe(2);
    expect(await db.notificationEmail.count({ where: { notificationId: note.id, delivered: true } })).toBe(2);
  }, 60_000);

  it("no SMTP server configured: the e-mail is logged, nothing is thrown; a failing server gives the claim back for the retry", async () => {
    const fx = await cleanOrg("notify-nosmtp");
    const owner = await callerFor(fx.users.OWNER.userId);
    await owner.notifications.updatePreferences({ categories: [{ category: "billing", inApp: true, email: true }] });
    const note = await db.notification.create({ data: { organizationId: fx.organizationId, userId: fx.users.OWNER.userId, kind: "billing.pastDue", params: { plan: "Pro", days: 7 }, link: "/settings/billing" } });

    // Nothing listens on port 9: the send fails, the step throws (and is retried), the claim is released.
    configureMailer({ smtpUrl: "smtp://127.0.0.1:9" });
    await expect(emailNotification(db, { organizationId: fx.organizationId, notificationId: note.id })).rejects.toThrow();
    expect(await db.notificationEmail.count({ where: { notificationId: note.id } })).toBe(0);

    configureMailer({ smtpUrl: null });
    expect(await emailNotification(db, { organizationId: fx.organizationId, notificationId: note.id })).toEqual({ status: "done", sent: 0, logged: 1, skipped: 0 });
    expect(await db.notificationEmail.findFirstOrThrow({ where: { notificationId: note.id } })).toMatchObject({ userId: fx.users.OWNER.userId, delivered: false });
    // A notification whose transaction never committed: nothing to send, no error.
    expect(await emailNotification(db, { organizationId: fx.organizationId, notificationId: "missing-notification" })).toEqual({ status: "missing" });
  });

  it("a send whose process died (claim never settled) is taken over after the lease; a live claim is waited for, not dropped", async () => {
    configureMailer({ smtpUrl: `smtp://mailer:s3cret@127.0.0.1:${smtpPort}` });
    const fx = await cleanOrg("notify-lease");
    const owner = fx.users.OWNER.userId;
    await (await callerFor(owner)).notifications.updatePreferences({ categories: [{ category: "billing", inApp: true, email: true }] });
    const ownerEmail = (await db.user.findUniqueOrThrow({ where: { id: owner } })).email;
    const mine = () => inbox.filter((m) => m.to[0] === ownerEmail);
    const raise = () => db.notification.create({ data: { organizationId: fx.organizationId, userId: owner, kind: "billing.pastDue", params: { plan: "Pro", days: 7 }, link: "/settings/billing" } });

    // Claimed 11 minutes ago and never settled: that process died between the claim and the send.
    const crashed = await raise();
    await db.notificationEmail.create({ data: { notificationId: crashed.id, userId: owner, claimedAt: new Date(Date.now() - EMAIL_CLAIM_LEASE_MS - 60_000) } });
    expect(await emailNotification(db, { organizationId: fx.organizationId, notificationId: crashed.id })).toEqual({ status: "done", sent: 1, logged: 0, skipped: 0 });
    expect(mine()).toHaveLength(1);
    expect(await db.notificationEmail.findFirstOrThrow({ where: { notificationId: crashed.id } })).toMatchObject({ delivered: true, settledAt: expect.any(Date) });
    // Settled now: asking again sends nothing and waits for nothing.
    expect(await emailNotification(db, { organizationId: fx.organizationId, notificationId: crashed.id })).toEqual({ status: "done", sent: 0, logged: 0, skipped: 1 });

    // Claimed a moment ago by a process that may still be sending: not sent twice now, but the run
    // is told when to look again (the function sleeps until then) instead of dropping it.
    const live = await raise();
    const claimedAt = new Date();
    await db.notificationEmail.create({ data: { notificationId: live.id, userId: owner, claimedAt } });
    const outcome = await emailNotification(db, { organizationId: fx.organizationId, notificationId: live.id });
    expect(outcome).toEqual({ status: "done", sent: 0, logged: 0, skipped: 1, retryAt: new Date(claimedAt.getTime() + EMAIL_CLAIM_LEASE_MS) });
    expect(mine()).toHaveLength(1);
  });

  it("an e-mail whose request was lost is asked for again by the sweep, and still sent only once", async () => {
    configureMailer({ smtpUrl: `smtp://mailer:s3cret@127.0.0.1:${smtpPort}` });
    const fx = await cleanOrg("notify-sweep");
    await (await callerFor(fx.users.OWNER.userId)).notifications.updatePreferences({ categories: [{ category: "billing", inApp: true, email: true }] });
    // Written straight to the table: as if the job event had never reached the queue.
    const note = await db.notification.create({ data: { organizationId: fx.organizationId, userId: fx.users.OWNER.userId, kind: "billing.pastDue", params: { plan: "Pro", days: 7 }, link: "/settings/billing" } });
    const ownerEmail = (await db.user.findUniqueOrThrow({ where: { id: fx.users.OWNER.userId } })).email;
    const mine = () => inbox.filter((m) => m.to[0] === ownerEmail);
    const later = new Date(Date.now() + 5 * 60_000);

    const runner = await startLocalRunner({ functions: notificationFunctions, cron: false, pollIntervalMs: 100, retryDelay: () => 200, concurrency: 2 });
    try {
      await runner.ready;
      expect((await requeueRecentEmails(db, later)).requested).toBeGreaterThanOrEqual(1);
      await waitFor("the swept e-mail", async () => mine().length >= 1);
      // The next sweep asks again with the same event id: no second run, no second e-mail.
      await requeueRecentEmails(db, later);
      await new Promise((r) => setTimeout(r, 1_500));
    } finally {
      await runner.stop();
    }
    expect(mine()).toHaveLength(1);
    const mail = parseMail(mine()[0]!.raw);
    expect(mail.subject).toContain("Cobrança");
    expect(mail.body).toContain("O pagamento do plano Pro");
    expect(await db.notificationEmail.findFirstOrThrow({ where: { notificationId: note.id } })).toMatchObject({ delivered: true });
  }, 60_000);
});
