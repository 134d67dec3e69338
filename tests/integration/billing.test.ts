/**
 * Billing end to end against a real PostgreSQL and the Stripe double over real HTTP: the app's
 * Stripe client calls the double; the double delivers signed webhook events to the webhook route
 * (served over HTTP too), so signatures, idempotency, ordering and the daily function are checked
 * as they run in production.
 */
import { InngestTestEngine } from "@inngest/test";
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { POST as stripeWebhook } from "~/app/api/v1/webhooks/stripe/route";
import { setStripeConfig } from "~/server/billing/stripe";
import { createStripeSandbox, STRIPE_SANDBOX_SECRET_KEY, STRIPE_SANDBOX_WEBHOOK_SECRET } from "~/server/connectors/sandbox/stripe";
import { billingDaily } from "~/server/jobs/functions/billing";
import { aiUsageReport } from "~/server/services/billing/ai-usage";
import { downgradeLapsedBatch, warnGraceEnding } from "~/server/services/billing/lapse";
import { serveFetch, type ServedFetch } from "../helpers/serve-fetch";
import { callerFor, createOrgFixture, db, outcome, type OrgFixture, setPlan, tenantCtxOf } from "./helpers/fixtures";

let stripeApi: ServedFetch;
let webhookServer: ServedFetch;

const stripeConfig = () => ({ secretKey: STRIPE_SANDBOX_SECRET_KEY, webhookSecret: STRIPE_SANDBOX_WEBHOOK_SECRET, apiUrl: stripeApi.url });

async function control<T = Record<string, unknown>>(path: string, body: unknown = {}): Promise<T> {
  const res = await fetch(`${stripeApi.url}/__control/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`control ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
type Delivered = { events: { id: string; type: string; status: number | null }[] };

async function subscriptionRow(organizationId: string) {
  return db.subscription.findUniqueOrThrow({ where: { organizationId }, include: { plan: true } });
}

/** Plans' Stripe price ids belong to one Stripe account; each run of the double is a new one. */
async function forgetStripePrices() {
  await db.plan.updateMany({ data: { stripePriceMonthlyId: null, stripePriceYearlyId: null } });
}

beforeAll(async () => {
  webhookServer = await serveFetch((request) => stripeWebhook(request));
  stripeApi = await serveFetch(createStripeSandbox({ webhook: { url: `${webhookServer.url}/api/v1/webhooks/stripe`, secret: STRIPE_SANDBOX_WEBHOOK_SECRET } }).handler);
  await forgetStripePrices();
});

afterAll(async () => {
  setStripeConfig(undefined);
  await forgetStripePrices();
  await stripeApi?.close();
  await webhookServer?.close();
});

beforeEach(() => setStripeConfig(stripeConfig()));

/** Subscribes a fresh organization (on the free plan) to `plan` through Checkout and the webhook. */
async function subscribed(plan: "pro" | "agencia" = "pro") {
  const fx = await createOrgFixture("billing");
  await setPlan(fx.organizationId, "gratis");
  const caller = await callerFor(fx.users.OWNER.userId);
  const result = await caller.billing.checkout({ planCode: plan, interval: "MONTH" });
  if (result.kind !== "redirect") throw new Error("expected a Checkout redirect");
  const sessionId = new URL(result.url).pathname.split("/").pop()!;
  const delivered = await control<Delivered & { subscription: string; customer: string }>(`checkout/${sessionId}/complete`);
  return { fx, caller, sessionId, delivered, subscriptionId: delivered.subscription, customerId: delivered.customer };
}

function signedRequest(payload: string, options: { secret?: string; timestamp?: number } = {}) {
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? STRIPE_SANDBOX_WEBHOOK_SECRET, timestamp: options.timestamp });
  return new Request("http://app.test/api/v1/webhooks/stripe", { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body: payload });
}

function eventPayload(type: string, object: Record<string, unknown>, id = `evt_test_${Math.random().toString(36).slice(2)}`) {
  return { id, payload: JSON.stringify({ id, object: "event", api_version: Stripe.API_VERSION, created: Math.floor(Date.now() / 1000), livemode: false, type, data: { object }, pending_webhooks: 1, request: { id: null, idempotency_key: null } }) };
}

const processed = (externalId: string) => db.processedExternalEvent.count({ where: { source: "stripe", externalId } });

describe("webhook route", () => {
  it("accepts a correctly signed event and records it once", async () => {
    const { id, payload } = eventPayload("customer.created", { id: "cus_nobody", object: "customer" });
    const res = await stripeWebhook(signedRequest(payload));
    expect(res.status).toBe(200);
    expect(await processed(id)).toBe(1);
  });

  it("rejects a wrong secret and a stale timestamp with 400 and no detail, recording nothing", async () => {
    const wrong = eventPayload("customer.created", { id: "cus_x", object: "customer" });
    const res1 = await stripeWebhook(signedRequest(wrong.payload, { secret: "whsec_not_the_one" }));
    expect(res1.status).toBe(400);
    const body1 = await res1.text();
    expect(body1).not.toMatch(/whsec|expected|No signatures/i);

    const stale = eventPayload("customer.created", { id: "cus_y", object: "customer" });
    const res2 = await stripeWebhook(signedRequest(stale.payload, { timestamp: Math.floor(Date.now() / 1000) - 3600 }));
    expect(res2.status).toBe(400);
    expect(await processed(wrong.id)).toBe(0);
    expect(await processed(stale.id)).toBe(0);

    const unsigned = await stripeWebhook(new Request("http://app.test/api/v1/webhooks/stripe", { method: "POST", body: wrong.payload }));
    expect(unsigned.status).toBe(400);
  });

  it("answers 200 for an unknown customer and stores the event as processed", async () => {
    const { id, payload } = eventPayload("invoice.paid", { id: "in_unknown", object: "invoice", customer: "cus_unknown", status: "paid", amount_due: 100, amount_paid: 100, currency: "brl", created: 1, period_start: 1, period_end: 2, parent: null });
    const res = await stripeWebhook(signedRequest(payload));
    expect(res.status).toBe(200);
    expect(await processed(id)).toBe(1);
    expect(await db.invoice.count({ where: { stripeInvoiceId: "in_unknown" } })).toBe(0);
  });

  it("a processing failure answers 500 and keeps nothing, so Stripe's retry runs it again", async () => {
    const fx = await createOrgFixture("billing-fail");
    // The session names a subscription Stripe does not know: retrieving it fails.
    const { id, payload } = eventPayload("checkout.session.completed", {
      id: "cs_test_broken",
      object: "checkout.session",
      client_reference_id: fx.organizationId,
      customer: "cus_missing",
      subscription: "sub_missing",
      metadata: {},
    });
    const res = await stripeWebhook(signedRequest(payload));
    expect(res.status).toBe(500);
    expect(await processed(id)).toBe(0);
  });
});

describe("checkout with Stripe", () => {
  it("creates a Checkout Session against Stripe; paying it activates the plan through the signed webhook", async () => {
    const { fx, caller, delivered, subscriptionId, customerId } = await subscribed("pro");
    expect(delivered.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(["checkout.session.completed", "customer.subscription.created", "invoice.created", "invoice.finalized", "invoice.paid"]),
    );
    expect(delivered.events.every((e) => e.status === 200)).toBe(true);

    const row = await subscriptionRow(fx.organizationId);
    expect(row).toMatchObject({ status: "ACTIVE", interval: "MONTH", stripeSubscriptionId: subscriptionId, stripeCustomerId: customerId, testMode: false, cancelAtPeriodEnd: false });
    expect(row.plan.code).toBe("pro");
    expect(row.currentPeriodEnd!.getTime()).toBeGreaterThan(Date.now() + 27 * 86_400_000);
    expect(row.lastStripeEventAt).not.toBeNull();

    const pro = await db.plan.findUniqueOrThrow({ where: { code: "pro" } });
    expect(pro.stripePriceMonthlyId).toMatch(/^price_/);

    const invoices = await db.invoice.findMany({ where: { organizationId: fx.organizationId } });
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ status: "paid", amountDueCents: 14_900, amountPaidCents: 14_900, currency: "BRL", testMode: false });

    const current = await caller.billing.current();
    expect(current).toMatchObject({ basis: "subscription", stripeConfigured: true, plan: { code: "pro" }, subscription: { planCode: "pro", status: "ACTIVE" } });

    const changes = await db.auditLog.findMany({ where: { organizationId: fx.organizationId, action: "billing.planChanged" } });
    expect(changes.map((c) => c.metadata)).toEqual([expect.objectContaining({ from: "gratis", to: "pro", source: "stripe" })]);
  });

  it("creates the Stripe customer once per organization, with the organization id in its metadata", async () => {
    const fx = await createOrgFixture("billing-customer");
    await setPlan(fx.organizationId, "gratis");
    const caller = await callerFor(fx.users.OWNER.userId);
    await caller.billing.checkout({ planCode: "pro", interval: "MONTH" });
    await caller.billing.checkout({ planCode: "agencia", interval: "YEAR" });
    const state = (await (await fetch(`${stripeApi.url}/__control/state`)).json()) as { customers: { id: string; metadata: Record<string, string> }[]; sessions: { customer: string; client_reference_id: string }[] };
    const mine = state.customers.filter((c) => c.metadata.organizationId === fx.organizationId);
    expect(mine).toHaveLength(1);
    const sessions = state.sessions.filter((s) => s.client_reference_id === fx.organizationId);
    expect(sessions).toHaveLength(2);
    expect(new Set(sessions.map((s) => s.customer))).toEqual(new Set([mine[0]!.id]));
    expect((await subscriptionRow(fx.organizationId)).stripeCustomerId).toBe(mine[0]!.id);
    // Nothing paid yet: the plan has not changed.
    expect((await subscriptionRow(fx.organizationId)).plan.code).toBe("gratis");
  });

  it("processes a repeated event once", async () => {
    const { fx, delivered } = await subscribed("pro");
    const completed = delivered.events.find((e) => e.type === "checkout.session.completed")!;
    const paid = delivered.events.find((e) => e.type === "invoice.paid")!;
    const again = await control<{ status: number }>(`events/${completed.id}/resend`);
    const againPaid = await control<{ status: number }>(`events/${paid.id}/resend`);
    expect(again.status).toBe(200);
    expect(againPaid.status).toBe(200);
    expect(await processed(completed.id)).toBe(1);
    expect(await db.auditLog.count({ where: { organizationId: fx.organizationId, action: "billing.planChanged" } })).toBe(1);
    expect(await db.invoice.count({ where: { organizationId: fx.organizationId } })).toBe(1);
  });

  it("an older subscription event arriving after a newer one does not regress the subscription", async () => {
    const { fx, subscriptionId } = await subscribed("pro");
    // The past_due events are produced while deliveries are held back…
    await control("webhook", {});
    const pastDue = await control<Delivered>(`subscriptions/${subscriptionId}/status`, { status: "past_due" });
    await control("webhook", { url: `${webhookServer.url}/api/v1/webhooks/stripe`, secret: STRIPE_SANDBOX_WEBHOOK_SECRET });
    // …then the recovery is delivered first…
    const active = await control<Delivered>(`subscriptions/${subscriptionId}/status`, { status: "active" });
    expect(active.events.every((e) => e.status === 200)).toBe(true);
    // …and only then the older past_due update arrives.
    const stale = pastDue.events.find((e) => e.type === "customer.subscription.updated")!;
    expect((await control<{ status: number }>(`events/${stale.id}/resend`)).status).toBe(200);

    const row = await subscriptionRow(fx.organizationId);
    expect(row.status).toBe("ACTIVE");
    expect(row.pastDueSince).toBeNull();
    expect(row.graceUntil).toBeNull();
    expect(await processed(stale.id)).toBe(1);
    // The invoice events still mirror (statuses never move backwards): the renewal ends paid.
    const invoices = await db.invoice.findMany({ where: { organizationId: fx.organizationId }, orderBy: { createdAt: "asc" } });
    expect(invoices.map((i) => i.status)).toEqual(["paid", "paid"]);
  });

  it("past_due keeps the plan for the grace period, warns once, then the daily pass moves it to the free plan", async () => {
    const { fx, subscriptionId, customerId } = await subscribed("pro");
    await control<Delivered>(`subscriptions/${subscriptionId}/status`, { status: "past_due" });
    const row = await subscriptionRow(fx.organizationId);
    expect(row.status).toBe("PAST_DUE");
    expect(row.graceUntil!.getTime() - row.pastDueSince!.getTime()).toBe(7 * 86_400_000);
    const notes = await db.notification.findMany({ where: { organizationId: fx.organizationId, kind: "billing.pastDue" } });
    expect(notes.map((n) => n.userId)).toEqual([fx.users.OWNER.userId]);
    const caller = await callerFor(fx.users.OWNER.userId);
    expect(await caller.billing.current()).toMatchObject({ basis: "grace", plan: { code: "pro" } });

    // A second failed attempt does not move the start of the grace period.
    await control<Delivered>(`subscriptions/${subscriptionId}/status`, { status: "unpaid" });
    expect((await subscriptionRow(fx.organizationId)).graceUntil).toEqual(row.graceUntil);

    // Within grace: not downgraded; two days before its end, one warning (a second pass adds none).
    const beforeEnd = new Date(row.graceUntil!.getTime() - 2 * 86_400_000);
    await downgradeLapsedBatch(db, { now: beforeEnd, limit: 1000 });
    expect((await subscriptionRow(fx.organizationId)).plan.code).toBe("pro");
    await warnGraceEnding(db, beforeEnd);
    await warnGraceEnding(db, beforeEnd);
    expect(await db.notification.count({ where: { organizationId: fx.organizationId, kind: "billing.graceEnding" } })).toBe(1);

    // After grace: the free plan; the Stripe customer stays, the ended subscription goes.
    const after = new Date(row.graceUntil!.getTime() + 60_000);
    await downgradeLapsedBatch(db, { now: after, limit: 1000 });
    await downgradeLapsedBatch(db, { now: after, limit: 1000 });
    const down = await subscriptionRow(fx.organizationId);
    expect(down).toMatchObject({ status: "ACTIVE", stripeSubscriptionId: null, stripeCustomerId: customerId, graceUntil: null, pastDueSince: null });
    expect(down.plan.code).toBe("gratis");
    expect(await db.auditLog.count({ where: { organizationId: fx.organizationId, action: "billing.downgraded" } })).toBe(1);
    expect(await db.notification.count({ where: { organizationId: fx.organizationId, kind: "billing.downgraded" } })).toBe(1);

    // Stripe ends the unpaid subscription later: the organization stays on the free plan, no new alerts.
    await control<Delivered>(`subscriptions/${subscriptionId}/status`, { status: "canceled" });
    const later = await subscriptionRow(fx.organizationId);
    expect(later).toMatchObject({ status: "ACTIVE", stripeSubscriptionId: null });
    expect(later.plan.code).toBe("gratis");
    expect(await db.notification.count({ where: { organizationId: fx.organizationId, kind: "billing.canceled" } })).toBe(0);
  });

  it("the daily function downgrades lapsed subscriptions in batches and leaves live ones alone", async () => {
    const lapsed = await createOrgFixture("billing-lapsed");
    await setPlan(lapsed.organizationId, "pro", { status: "PAST_DUE", pastDueSince: new Date(Date.now() - 9 * 86_400_000), graceUntil: new Date(Date.now() - 2 * 86_400_000) });
    const trial = await createOrgFixture("billing-trial");
    await setPlan(trial.organizationId, "agencia", { status: "TRIALING", trialEndsAt: new Date(Date.now() - 60_000) });
    const live = await createOrgFixture("billing-live");
    await setPlan(live.organizationId, "pro");

    const t = new InngestTestEngine({ function: billingDaily, events: [{ name: "inngest/scheduled.timer", data: { cron: "15 6 * * *" } }] });
    const { result } = await t.execute();
    expect((result as { downgraded: number }).downgraded).toBeGreaterThanOrEqual(2);
    expect((await subscriptionRow(lapsed.organizationId)).plan.code).toBe("gratis");
    expect((await subscriptionRow(trial.organizationId)).plan.code).toBe("gratis");
    expect((await subscriptionRow(live.organizationId)).plan.code).toBe("pro");
    expect(billingDaily.opts.triggers).toEqual([{ cron: "15 6 * * *" }]);
  });

  it("cancellation: Stripe's deleted event cancels and notifies; the plan falls back to free at once", async () => {
    const { fx, subscriptionId } = await subscribed("pro");
    await control<Delivered>(`subscriptions/${subscriptionId}/status`, { status: "canceled" });
    const row = await subscriptionRow(fx.organizationId);
    expect(row.status).toBe("CANCELED");
    expect(await db.notification.count({ where: { organizationId: fx.organizationId, kind: "billing.canceled" } })).toBe(1);
    const caller = await callerFor(fx.users.OWNER.userId);
    expect(await caller.billing.current()).toMatchObject({ basis: "free", plan: { code: "gratis" } });
  });

  it("changing plan with a live subscription updates it in Stripe (prorated) instead of a new checkout", async () => {
    const { fx, caller, subscriptionId } = await subscribed("pro");
    const result = await caller.billing.checkout({ planCode: "agencia", interval: "MONTH" });
    expect(result).toEqual({ kind: "applied", planCode: "agencia" });
    await control("flush");
    const state = (await (await fetch(`${stripeApi.url}/__control/state`)).json()) as { subscriptions: Stripe.Subscription[] };
    const sub = state.subscriptions.find((s) => s.id === subscriptionId)!;
    const agencia = await db.plan.findUniqueOrThrow({ where: { code: "agencia" } });
    expect(sub.items.data[0]!.price.id).toBe(agencia.stripePriceMonthlyId);
    const row = await subscriptionRow(fx.organizationId);
    expect(row.plan.code).toBe("agencia");
    expect(row.stripeSubscriptionId).toBe(subscriptionId);
    // The proration invoice arrived through the webhook.
    expect(await db.invoice.count({ where: { organizationId: fx.organizationId } })).toBe(2);

    // Choosing the free plan cancels at the end of the period; the paid plan stays until then.
    expect(await caller.billing.checkout({ planCode: "gratis", interval: "MONTH" })).toEqual({ kind: "applied", planCode: "agencia" });
    await control("flush");
    const state2 = (await (await fetch(`${stripeApi.url}/__control/state`)).json()) as { subscriptions: Stripe.Subscription[] };
    expect(state2.subscriptions.find((s) => s.id === subscriptionId)!.cancel_at_period_end).toBe(true);
    const after = await subscriptionRow(fx.organizationId);
    expect(after).toMatchObject({ cancelAtPeriodEnd: true, status: "ACTIVE" });
    expect(after.plan.code).toBe("agencia");
  });

  it("portal: a Stripe billing portal URL for the customer; refused without a customer or without Stripe", async () => {
    const { caller } = await subscribed("pro");
    const { url } = await caller.billing.portal();
    expect(url.startsWith(`${stripeApi.url}/portal/bps_`)).toBe(true);

    const fresh = await createOrgFixture("billing-portal");
    const freshCaller = await callerFor(fresh.users.OWNER.userId);
    await expect(freshCaller.billing.portal()).rejects.toMatchObject({ code: "PRECONDITION_FAILED", cause: expect.objectContaining({ reason: "noStripeCustomer" }) });
    setStripeConfig(null);
    await expect(caller.billing.portal()).rejects.toMatchObject({ code: "PRECONDITION_FAILED", cause: expect.objectContaining({ reason: "stripeNotConfigured" }) });
  });

  it("a stored price Stripe does not know (another Stripe account) is replaced, once", async () => {
    const fx = await createOrgFixture("billing-price");
    await setPlan(fx.organizationId, "gratis");
    await db.plan.update({ where: { code: "agencia" }, data: { stripePriceYearlyId: "price_from_another_account" } });
    const caller = await callerFor(fx.users.OWNER.userId);
    const result = await caller.billing.checkout({ planCode: "agencia", interval: "YEAR" });
    expect(result.kind).toBe("redirect");
    const agencia = await db.plan.findUniqueOrThrow({ where: { code: "agencia" } });
    expect(agencia.stripePriceYearlyId).toMatch(/^price_/);
    expect(agencia.stripePriceYearlyId).not.toBe("price_from_another_account");
  });

  it("Stripe being down becomes stripeUnavailable", async () => {
    const fx = await createOrgFixture("billing-down");
    await setPlan(fx.organizationId, "gratis");
    setStripeConfig({ ...stripeConfig(), apiUrl: "http://127.0.0.1:9" });
    const caller = await callerFor(fx.users.OWNER.userId);
    await expect(caller.billing.checkout({ planCode: "pro", interval: "MONTH" })).rejects.toMatchObject({ cause: expect.objectContaining({ reason: "stripeUnavailable" }) });
  });
});

describe("test mode (no STRIPE_SECRET_KEY)", () => {
  beforeEach(() => setStripeConfig(null));

  it("applies a plan change locally with a test invoice; the free plan takes the organization back to gratis", async () => {
    const fx = await createOrgFixture("billing-test-mode");
    await setPlan(fx.organizationId, "gratis");
    const caller = await callerFor(fx.users.OWNER.userId);
    expect(await caller.billing.checkout({ planCode: "pro", interval: "YEAR" })).toEqual({ kind: "applied", planCode: "pro" });

    const row = await subscriptionRow(fx.organizationId);
    expect(row).toMatchObject({ status: "ACTIVE", interval: "YEAR", testMode: true, stripeSubscriptionId: null });
    expect(row.plan.code).toBe("pro");
    const days = (row.currentPeriodEnd!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(360);
    expect(days).toBeLessThan(367);
    const invoices = await db.invoice.findMany({ where: { organizationId: fx.organizationId } });
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ status: "paid", amountDueCents: 149_000, amountPaidCents: 149_000, testMode: true, stripeInvoiceId: null });
    expect(await caller.billing.current()).toMatchObject({ stripeConfigured: false, basis: "subscription", plan: { code: "pro" }, subscription: { testMode: true } });
    const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: fx.organizationId, action: "billing.planChanged" } });
    expect(audit).toMatchObject({ actorUserId: fx.users.OWNER.userId, metadata: expect.objectContaining({ from: "gratis", to: "pro", source: "testMode" }) });

    expect(await caller.billing.checkout({ planCode: "gratis", interval: "MONTH" })).toEqual({ kind: "applied", planCode: "gratis" });
    expect((await subscriptionRow(fx.organizationId)).plan.code).toBe("gratis");
    expect(await db.invoice.count({ where: { organizationId: fx.organizationId } })).toBe(1);
  });

  it("refuses an unknown plan and roles below OWNER", async () => {
    const fx = await createOrgFixture("billing-refuse");
    const owner = await callerFor(fx.users.OWNER.userId);
    expect(await outcome(() => owner.billing.checkout({ planCode: "platinum", interval: "MONTH" }))).toBe("NOT_FOUND");
    const manager = await callerFor(fx.users.MANAGER.userId);
    expect(await outcome(() => manager.billing.checkout({ planCode: "pro", interval: "MONTH" }))).toBe("FORBIDDEN");
  });

  it("lists plans cheapest first", async () => {
    const fx = await createOrgFixture("billing-plans");
    const plans = await (await callerFor(fx.users.MANAGER.userId)).billing.plans();
    expect(plans.map((p) => p.code).slice(0, 3)).toEqual(["gratis", "pro", "agencia"]);
  });
});

describe("invoices and AI usage", () => {
  let a: OrgFixture;
  let b: OrgFixture;
  beforeAll(async () => {
    a = await createOrgFixture("billing-inv-a");
    b = await createOrgFixture("billing-inv-b");
  });

  it("pages invoices newest first; another organization's cursor is not found", async () => {
    const base = Date.UTC(2026, 5, 1);
    for (let i = 0; i < 5; i++) {
      await db.invoice.create({ data: { organizationId: a.organizationId, status: "paid", amountDueCents: 100 * (i + 1), amountPaidCents: 100 * (i + 1), createdAt: new Date(base + i * 86_400_000) } });
    }
    const bInvoice = await db.invoice.create({ data: { organizationId: b.organizationId, status: "paid", amountDueCents: 1 } });
    const caller = await callerFor(a.users.MANAGER.userId);
    const p1 = await caller.billing.invoices({ limit: 2 });
    const p2 = await caller.billing.invoices({ limit: 2, cursor: p1.nextCursor! });
    const p3 = await caller.billing.invoices({ limit: 2, cursor: p2.nextCursor! });
    expect([...p1.items, ...p2.items, ...p3.items].map((i) => i.amountDueCents)).toEqual([500, 400, 300, 200, 100]);
    expect(p3.nextCursor).toBeNull();
    expect(await outcome(() => caller.billing.invoices({ limit: 2, cursor: bInvoice.id }))).toBe("NOT_FOUND");
  });

  it("sums one UTC month of AI usage by feature and by day, against the plan's credits", async () => {
    const row = (orgId: string, feature: string, at: string, credits: number, prompt: number, completion: number, cost: number) => ({
      organizationId: orgId,
      feature,
      provider: "openai-compatible",
      model: "m",
      promptTokens: prompt,
      completionTokens: completion,
      costMicroUsd: cost,
      credits,
      latencyMs: 10,
      createdAt: new Date(at),
    });
    await db.aiUsage.createMany({
      data: [
        row(a.organizationId, "listing.title", "2026-11-01T00:00:00Z", 2, 1000, 500, 300),
        row(a.organizationId, "listing.title", "2026-11-01T23:59:59Z", 1, 400, 100, 100),
        row(a.organizationId, "comment.reply", "2026-11-15T12:00:00Z", 3, 2000, 700, 900),
        // Outside the month, and another organization's: not counted.
        row(a.organizationId, "listing.title", "2026-10-31T23:59:59Z", 50, 1, 1, 1),
        row(a.organizationId, "listing.title", "2026-12-01T00:00:00Z", 50, 1, 1, 1),
        row(b.organizationId, "listing.title", "2026-11-10T00:00:00Z", 50, 1, 1, 1),
      ],
    });
    const report = await aiUsageReport(tenantCtxOf(a, "MANAGER"), { month: "2026-11" });
    expect(report).toMatchObject({ month: "2026-11", credits: 6, calls: 3, promptTokens: 3400, completionTokens: 1300, costMicroUsd: 1300, creditLimit: 10_000 });
    expect(report.byFeature).toEqual([
      { feature: "comment.reply", calls: 1, credits: 3, tokens: 2700, costMicroUsd: 900 },
      { feature: "listing.title", calls: 2, credits: 3, tokens: 2000, costMicroUsd: 400 },
    ]);
    expect(report.byDay).toEqual([
      { day: "2026-11-01", credits: 3, calls: 2 },
      { day: "2026-11-15", credits: 3, calls: 1 },
    ]);
    const viaRouter = await (await callerFor(a.users.MANAGER.userId)).billing.aiUsage({ month: "2026-11" });
    expect(viaRouter.credits).toBe(6);
  });
});
