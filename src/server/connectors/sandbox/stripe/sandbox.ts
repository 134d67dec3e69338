/**
 * A local Stripe double: the parts of Stripe's API the billing code uses, spoken the way the
 * official SDK speaks it (form-encoded bodies with bracketed keys, Bearer secret key,
 * Idempotency-Key replay, Stripe's error JSON), with in-memory state and no database.
 *
 * Endpoints: customers (create, retrieve, search by metadata), products (create), prices (create,
 * retrieve), checkout.sessions (create, retrieve), billing_portal.sessions (create), subscriptions
 * (retrieve, update, cancel), invoices (list). Subscriptions use the current API shape: the billing
 * period lives on each subscription item, an invoice names its subscription under
 * `parent.subscription_details`.
 *
 * Test controls (no API key; under /__control):
 * - POST /__control/webhook {url, secret}: where signed events are delivered;
 * - POST /__control/checkout/{cs_id}/complete: the customer paid — creates the subscription and a
 *   paid invoice, delivers checkout.session.completed, customer.subscription.created,
 *   invoice.created, invoice.finalized, invoice.paid;
 * - POST /__control/subscriptions/{sub_id}/status {status: past_due|canceled|active|unpaid}:
 *   what Stripe's dunning would do, with customer.subscription.updated/deleted and invoice events;
 * - POST /__control/events/{evt_id}/resend: delivers an earlier event again (Stripe's retries and
 *   the dashboard's "resend" bring old events after newer ones);
 * - POST /__control/flush: waits for deliveries started by API calls (Stripe sends those
 *   asynchronously, after answering the call);
 * - GET /__control/state: customers, subscriptions, sessions, invoices, events, deliveries.
 * Hosted pages: GET /pay/{cs_id} (a "Pay" button → completes like the control, then 303 to the
 * session's success_url) and GET /portal/{bps_id}.
 */
import { randomBytes } from "node:crypto";

import Stripe from "stripe";

import { escapeHtml, htmlNoStore, routePath } from "../shared/http";
import { type FormObject, list, mergeMetadata, obj, parseStripeForm, str } from "./form";

export const STRIPE_SANDBOX_SECRET_KEY = "sk_test_sandbox_super_seller";
export const STRIPE_SANDBOX_WEBHOOK_SECRET = "whsec_sandbox_super_seller";

type Json = Record<string, unknown>;

type Price = { id: string; product: string; unit_amount: number; currency: string; interval: "month" | "year"; active: boolean; metadata: Record<string, string>; created: number };
type Product = { id: string; name: string; metadata: Record<string, string>; created: number };
type Customer = { id: string; email: string | null; name: string | null; metadata: Record<string, string>; created: number };
type CheckoutSession = {
  id: string;
  mode: string;
  status: "open" | "complete" | "expired";
  customer: string | null;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  subscriptionMetadata: Record<string, string>;
  priceId: string;
  quantity: number;
  success_url: string;
  cancel_url: string | null;
  subscription: string | null;
  created: number;
};
type SubscriptionState = {
  id: string;
  customer: string;
  status: "active" | "trialing" | "past_due" | "canceled" | "unpaid" | "incomplete" | "incomplete_expired";
  itemId: string;
  priceId: string;
  quantity: number;
  periodStart: number;
  periodEnd: number;
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  trial_end: number | null;
  metadata: Record<string, string>;
  latest_invoice: string | null;
  created: number;
};
type InvoiceState = {
  id: string;
  number: string;
  customer: string;
  subscription: string | null;
  status: "draft" | "open" | "paid" | "void" | "uncollectible";
  amount_due: number;
  amount_paid: number;
  currency: string;
  description: string | null;
  period_start: number;
  period_end: number;
  created: number;
};
export type StripeSandboxEvent = { id: string; type: string; created: number; data: { object: Json; previous_attributes?: Json }; deliveries: { status: number | null; error?: string }[] };

export type StripeSandboxOptions = {
  secretKey?: string;
  /** Mount point when served below a path (e.g. "/api/sandbox/stripe"). */
  basePath?: string;
  webhook?: { url: string; secret: string };
  /** The double's clock in unix seconds (events get strictly increasing `created` anyway). */
  now?: () => number;
};

export type StripeSandbox = {
  handler: (request: Request) => Promise<Response>;
  /** Inspect state from tests (the same as GET /__control/state). */
  state: () => Json;
};

function id(prefix: string) {
  return `${prefix}_${randomBytes(12).toString("hex")}`;
}

function stripeError(status: number, type: string, message: string, extra: { code?: string; param?: string } = {}) {
  return Response.json({ error: { type, message, ...extra } }, { status, headers: { "request-id": id("req") } });
}

const missing = (kind: string, value: string, param = "id") =>
  stripeError(404, "invalid_request_error", `No such ${kind}: '${value}'`, { code: "resource_missing", param });

const required = (param: string) => stripeError(400, "invalid_request_error", `Missing required param: ${param}.`, { code: "parameter_missing", param });

function addInterval(start: number, interval: "month" | "year") {
  const d = new Date(start * 1000);
  if (interval === "month") d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCFullYear(d.getUTCFullYear() + 1);
  return Math.floor(d.getTime() / 1000);
}

export function createStripeSandbox(options: StripeSandboxOptions = {}): StripeSandbox {
  const secretKey = options.secretKey ?? STRIPE_SANDBOX_SECRET_KEY;
  const basePath = options.basePath ?? "";
  const clock = options.now ?? (() => Math.floor(Date.now() / 1000));
  let webhook = options.webhook ?? null;
  let lastEventAt = 0;
  let invoiceSeq = 0;

  const customers = new Map<string, Customer>();
  const products = new Map<string, Product>();
  const prices = new Map<string, Price>();
  const sessions = new Map<string, CheckoutSession>();
  const subscriptions = new Map<string, SubscriptionState>();
  const invoices = new Map<string, InvoiceState>();
  const events = new Map<string, StripeSandboxEvent>();
  const idempotent = new Map<string, { fingerprint: string; status: number; body: string }>();
  const pending = new Set<Promise<void>>();

  // ─── Serialization (Stripe's object shapes) ───

  const priceJson = (p: Price): Json => ({
    id: p.id,
    object: "price",
    active: p.active,
    currency: p.currency,
    product: p.product,
    unit_amount: p.unit_amount,
    type: "recurring",
    recurring: { interval: p.interval, interval_count: 1, usage_type: "licensed" },
    metadata: p.metadata,
    livemode: false,
    created: p.created,
  });
  const customerJson = (c: Customer): Json => ({ id: c.id, object: "customer", email: c.email, name: c.name, metadata: c.metadata, livemode: false, created: c.created });
  const productJson = (p: Product): Json => ({ id: p.id, object: "product", name: p.name, active: true, metadata: p.metadata, livemode: false, created: p.created });
  const sessionJson = (s: CheckoutSession, origin: string): Json => ({
    id: s.id,
    object: "checkout.session",
    mode: s.mode,
    status: s.status,
    payment_status: s.status === "complete" ? "paid" : "unpaid",
    customer: s.customer,
    client_reference_id: s.client_reference_id,
    metadata: s.metadata,
    subscription: s.subscription,
    success_url: s.success_url,
    cancel_url: s.cancel_url,
    url: s.status === "open" ? `${origin}${basePath}/pay/${s.id}` : null,
    livemode: false,
    created: s.created,
  });
  const subscriptionJson = (s: SubscriptionState): Json => {
    const price = prices.get(s.priceId)!;
    return {
      id: s.id,
      object: "subscription",
      customer: s.customer,
      status: s.status,
      cancel_at_period_end: s.cancel_at_period_end,
      cancel_at: s.cancel_at_period_end ? s.periodEnd : null,
      canceled_at: s.canceled_at,
      trial_end: s.trial_end,
      metadata: s.metadata,
      latest_invoice: s.latest_invoice,
      start_date: s.created,
      created: s.created,
      livemode: false,
      items: {
        object: "list",
        has_more: false,
        url: `/v1/subscription_items?subscription=${s.id}`,
        data: [
          {
            id: s.itemId,
            object: "subscription_item",
            price: priceJson(price),
            quantity: s.quantity,
            subscription: s.id,
            current_period_start: s.periodStart,
            current_period_end: s.periodEnd,
            created: s.created,
            metadata: {},
          },
        ],
      },
    };
  };
  const invoiceJson = (i: InvoiceState, origin: string): Json => ({
    id: i.id,
    object: "invoice",
    number: i.number,
    customer: i.customer,
    status: i.status,
    amount_due: i.amount_due,
    amount_paid: i.amount_paid,
    amount_remaining: i.amount_due - i.amount_paid,
    currency: i.currency,
    description: i.description,
    period_start: i.period_start,
    period_end: i.period_end,
    hosted_invoice_url: i.status === "draft" ? null : `${origin}${basePath}/invoices/${i.id}`,
    invoice_pdf: i.status === "draft" ? null : `${origin}${basePath}/invoices/${i.id}/pdf`,
    parent: i.subscription
      ? { type: "subscription_details", quote_details: null, subscription_details: { subscription: i.subscription, metadata: subscriptions.get(i.subscription)?.metadata ?? {} } }
      : null,
    livemode: false,
    created: i.created,
  });

  // ─── Events and their delivery ───

  function emit(type: string, object: Json, previous?: Json): StripeSandboxEvent {
    // Strictly increasing `created`, so tests can tell "older" from "newer" without waiting.
    lastEventAt = Math.max(clock(), lastEventAt + 1);
    const event: StripeSandboxEvent = { id: id("evt"), type, created: lastEventAt, data: previous ? { object, previous_attributes: previous } : { object }, deliveries: [] };
    events.set(event.id, event);
    return event;
  }

  async function deliver(event: StripeSandboxEvent): Promise<number | null> {
    if (!webhook) return null;
    const payload = JSON.stringify({
      id: event.id,
      object: "event",
      api_version: Stripe.API_VERSION,
      created: event.created,
      data: event.data,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: event.type,
    });
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: webhook.secret });
    try {
      const res = await fetch(webhook.url, { method: "POST", headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": signature }, body: payload });
      await res.arrayBuffer();
      event.deliveries.push({ status: res.status });
      return res.status;
    } catch (error) {
      event.deliveries.push({ status: null, error: (error as Error).message });
      return null;
    }
  }

  /** Control-triggered events: delivered in order before the control call answers. */
  async function deliverNow(list: StripeSandboxEvent[]) {
    const results: { id: string; type: string; status: number | null }[] = [];
    for (const e of list) results.push({ id: e.id, type: e.type, status: await deliver(e) });
    return results;
  }

  /** API-triggered events: Stripe answers the call first and delivers afterwards. */
  function deliverLater(list: StripeSandboxEvent[]) {
    const p: Promise<void> = (async () => {
      await new Promise((r) => setTimeout(r, 0));
      for (const e of list) await deliver(e);
    })().finally(() => pending.delete(p));
    pending.add(p);
  }

  function createInvoice(sub: SubscriptionState, origin: string, paid: boolean, description: string) {
    const price = prices.get(sub.priceId)!;
    const invoice: InvoiceState = {
      id: id("in"),
      number: `SBX-${String(++invoiceSeq).padStart(4, "0")}`,
      customer: sub.customer,
      subscription: sub.id,
      status: paid ? "paid" : "open",
      amount_due: price.unit_amount * sub.quantity,
      amount_paid: paid ? price.unit_amount * sub.quantity : 0,
      currency: price.currency,
      description,
      period_start: sub.periodStart,
      period_end: sub.periodEnd,
      created: clock(),
    };
    invoices.set(invoice.id, invoice);
    sub.latest_invoice = invoice.id;
    const evts = [emit("invoice.created", { ...invoiceJson(invoice, origin), status: "draft" }), emit("invoice.finalized", { ...invoiceJson(invoice, origin), status: "open", amount_paid: 0 })];
    evts.push(paid ? emit("invoice.paid", invoiceJson(invoice, origin)) : emit("invoice.payment_failed", invoiceJson(invoice, origin)));
    return { invoice, events: evts };
  }

  function completeSession(session: CheckoutSession, origin: string): StripeSandboxEvent[] {
    const price = prices.get(session.priceId)!;
    let customerId = session.customer;
    if (!customerId) {
      const c: Customer = { id: id("cus"), email: null, name: null, metadata: {}, created: clock() };
      customers.set(c.id, c);
      customerId = c.id;
      session.customer = c.id;
    }
    const start = clock();
    const sub: SubscriptionState = {
      id: id("sub"),
      customer: customerId,
      status: "active",
      itemId: id("si"),
      priceId: price.id,
      quantity: session.quantity,
      periodStart: start,
      periodEnd: addInterval(start, price.interval),
      cancel_at_period_end: false,
      canceled_at: null,
      trial_end: null,
      metadata: session.subscriptionMetadata,
      latest_invoice: null,
      created: start,
    };
    subscriptions.set(sub.id, sub);
    session.status = "complete";
    session.subscription = sub.id;
    const created = emit("customer.subscription.created", subscriptionJson(sub));
    const { events: invoiceEvents } = createInvoice(sub, origin, true, `Subscription ${price.id}`);
    const completed = emit("checkout.session.completed", sessionJson(session, origin));
    // Stripe sends these in no guaranteed order; the app must cope with any.
    return [completed, created, ...invoiceEvents];
  }

  // ─── Routing ───

  async function handler(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const origin = url.origin;
    const path = routePath(url.pathname, basePath);
    const method = request.method.toUpperCase();
    const raw = method === "GET" || method === "DELETE" ? "" : await request.text();

    if (path.startsWith("/__control/")) return control(method, path, raw, origin);
    if (path.startsWith("/pay/")) return payPage(method, path.slice(5), origin);
    if (path.startsWith("/portal/")) return htmlNoStore(`<!doctype html><title>Stripe sandbox portal</title><h1>Billing portal (sandbox)</h1><p>${escapeHtml(path.slice(8))}</p>`);
    if (path.startsWith("/invoices/")) return htmlNoStore(`<!doctype html><title>Invoice</title><h1>Invoice ${escapeHtml(path.slice(10))} (sandbox)</h1>`);
    if (!path.startsWith("/v1/")) return missing("route", path, "path");

    const auth = request.headers.get("authorization") ?? "";
    const key = auth.startsWith("Bearer ") ? auth.slice(7) : "";
    if (key !== secretKey) {
      const shown = key ? `${key.slice(0, 8)}${"*".repeat(Math.max(0, key.length - 12))}${key.slice(-4)}` : "";
      return stripeError(401, "invalid_request_error", key ? `Invalid API Key provided: ${shown}` : "You did not provide an API key.");
    }
    const params = method === "GET" || method === "DELETE" ? parseStripeForm(url.searchParams) : parseStripeForm(raw);

    const idemKey = method === "POST" ? request.headers.get("idempotency-key") : null;
    if (idemKey) {
      const fingerprint = `${method} ${path} ${raw}`;
      const seen = idempotent.get(idemKey);
      if (seen) {
        if (seen.fingerprint !== fingerprint) {
          return stripeError(400, "idempotency_error", `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idemKey}' if you meant to execute a different request.`);
        }
        return new Response(seen.body, { status: seen.status, headers: { "content-type": "application/json", "idempotent-replayed": "true" } });
      }
      const response = await api(method, path, params, origin);
      const body = await response.text();
      // Stripe keeps results of requests that ran (including 4xx) for 24 h; never a 5xx.
      if (response.status < 500) idempotent.set(idemKey, { fingerprint, status: response.status, body });
      return new Response(body, { status: response.status, headers: { "content-type": "application/json" } });
    }
    return api(method, path, params, origin);
  }

  async function api(method: string, path: string, p: FormObject, origin: string): Promise<Response> {
    const parts = path.split("/").slice(2); // ["customers", "cus_…", …]
    const [resource, first, second] = parts;
    const now = clock();

    if (resource === "customers") {
      if (method === "POST" && !first) {
        const c: Customer = { id: id("cus"), email: str(p.email) ?? null, name: str(p.name) ?? null, metadata: mergeMetadata({}, p.metadata), created: now };
        customers.set(c.id, c);
        return Response.json(customerJson(c));
      }
      if (method === "GET" && first === "search") {
        // Supports `metadata['key']:'value'` and `email:'value'`.
        const q = str(p.query) ?? "";
        const meta = /^metadata\['([^']+)'\]:'([^']*)'$/.exec(q);
        const email = /^email:'([^']*)'$/.exec(q);
        const data = [...customers.values()].filter((c) => (meta ? c.metadata[meta[1]!] === meta[2] : email ? c.email === email[1] : false));
        return Response.json({ object: "search_result", data: data.map(customerJson), has_more: false, next_page: null, url: "/v1/customers/search" });
      }
      if (method === "GET" && first) {
        const c = customers.get(first);
        return c ? Response.json(customerJson(c)) : missing("customer", first);
      }
    }

    if (resource === "products" && method === "POST" && !first) {
      const name = str(p.name);
      if (!name) return required("name");
      const prod: Product = { id: id("prod"), name, metadata: mergeMetadata({}, p.metadata), created: now };
      products.set(prod.id, prod);
      return Response.json(productJson(prod));
    }

    if (resource === "prices") {
      if (method === "POST" && !first) {
        let product = str(p.product);
        const productData = obj(p.product_data);
        if (!product && str(productData.name)) {
          const prod: Product = { id: id("prod"), name: str(productData.name)!, metadata: mergeMetadata({}, productData.metadata), created: now };
          products.set(prod.id, prod);
          product = prod.id;
        }
        if (!product) return required("product");
        if (!products.has(product)) return missing("product", product, "product");
        const amount = Number(str(p.unit_amount));
        if (!Number.isInteger(amount) || amount < 0) return required("unit_amount");
        const currency = str(p.currency);
        if (!currency) return required("currency");
        const interval = str(obj(p.recurring).interval);
        if (interval !== "month" && interval !== "year") return required("recurring[interval]");
        const price: Price = { id: id("price"), product, unit_amount: amount, currency: currency.toLowerCase(), interval, active: true, metadata: mergeMetadata({}, p.metadata), created: now };
        prices.set(price.id, price);
        return Response.json(priceJson(price));
      }
      if (method === "GET" && first) {
        const price = prices.get(first);
        return price ? Response.json(priceJson(price)) : missing("price", first);
      }
    }

    if (resource === "checkout" && first === "sessions") {
      const sessionId = second;
      if (method === "POST" && !sessionId) {
        if (str(p.mode) !== "subscription") return stripeError(400, "invalid_request_error", "The sandbox supports mode=subscription only.", { param: "mode" });
        const successUrl = str(p.success_url);
        if (!successUrl) return required("success_url");
        const items = list(p.line_items);
        const item = obj(items[0]);
        const priceId = str(item.price);
        if (items.length !== 1 || !priceId) return required("line_items[0][price]");
        if (!prices.has(priceId)) return missing("price", priceId, "line_items[0][price]");
        const customer = str(p.customer) ?? null;
        if (customer && !customers.has(customer)) return missing("customer", customer, "customer");
        const session: CheckoutSession = {
          id: `cs_test_${randomBytes(16).toString("hex")}`,
          mode: "subscription",
          status: "open",
          customer,
          client_reference_id: str(p.client_reference_id) ?? null,
          metadata: mergeMetadata({}, p.metadata),
          subscriptionMetadata: mergeMetadata({}, obj(p.subscription_data).metadata),
          priceId,
          quantity: Number(str(item.quantity) ?? "1") || 1,
          success_url: successUrl,
          cancel_url: str(p.cancel_url) ?? null,
          subscription: null,
          created: now,
        };
        sessions.set(session.id, session);
        return Response.json(sessionJson(session, origin));
      }
      if (method === "GET" && sessionId) {
        const s = sessions.get(sessionId);
        return s ? Response.json(sessionJson(s, origin)) : missing("checkout.session", sessionId);
      }
    }

    if (resource === "billing_portal" && first === "sessions" && method === "POST" && !second) {
      const customer = str(p.customer);
      if (!customer) return required("customer");
      if (!customers.has(customer)) return missing("customer", customer, "customer");
      const portalId = id("bps");
      return Response.json({ id: portalId, object: "billing_portal.session", customer, return_url: str(p.return_url) ?? null, url: `${origin}${basePath}/portal/${portalId}`, livemode: false, created: now });
    }

    if (resource === "subscriptions" && first) {
      const sub = subscriptions.get(first);
      if (!sub) return missing("subscription", first);
      if (method === "GET") return Response.json(subscriptionJson(sub));
      if (method === "DELETE") {
        if (sub.status === "canceled") return stripeError(400, "invalid_request_error", "This subscription has already been canceled.", { code: "resource_missing" });
        sub.status = "canceled";
        sub.canceled_at = now;
        deliverLater([emit("customer.subscription.deleted", subscriptionJson(sub))]);
        return Response.json(subscriptionJson(sub));
      }
      if (method === "POST") {
        if (sub.status === "canceled") return stripeError(400, "invalid_request_error", "A canceled subscription can only update its cancellation_details and metadata.");
        const previous: Json = {};
        const item = obj(list(p.items)[0]);
        const newPrice = str(item.price);
        if (newPrice) {
          if (str(item.id) && str(item.id) !== sub.itemId) return missing("subscription_item", str(item.id)!, "items[0][id]");
          if (!prices.has(newPrice)) return missing("price", newPrice, "items[0][price]");
          previous.items = subscriptionJson(sub).items;
          const oldPrice = prices.get(sub.priceId)!;
          sub.priceId = newPrice;
          const np = prices.get(newPrice)!;
          // A new interval starts a new period (Stripe resets the billing cycle anchor then).
          if (np.interval !== oldPrice.interval) {
            sub.periodStart = now;
            sub.periodEnd = addInterval(now, np.interval);
          }
        }
        const cap = str(p.cancel_at_period_end);
        if (cap === "true" || cap === "false") {
          previous.cancel_at_period_end = sub.cancel_at_period_end;
          sub.cancel_at_period_end = cap === "true";
        }
        if (p.metadata !== undefined) {
          previous.metadata = sub.metadata;
          sub.metadata = mergeMetadata(sub.metadata, p.metadata);
        }
        const evts = [emit("customer.subscription.updated", subscriptionJson(sub), previous)];
        // Proration (the default): the difference is invoiced at once.
        if (newPrice && str(p.proration_behavior) !== "none") evts.push(...createInvoice(sub, origin, true, "Proration").events);
        deliverLater(evts);
        return Response.json(subscriptionJson(sub));
      }
    }

    if (resource === "invoices" && method === "GET" && !first) {
      const customer = str(p.customer);
      const subscription = str(p.subscription);
      const limit = Math.min(100, Math.max(1, Number(str(p.limit) ?? "10") || 10));
      let rows = [...invoices.values()]
        .filter((i) => (!customer || i.customer === customer) && (!subscription || i.subscription === subscription))
        .sort((a, b) => b.created - a.created || b.id.localeCompare(a.id));
      const after = str(p.starting_after);
      if (after) rows = rows.slice(rows.findIndex((r) => r.id === after) + 1);
      return Response.json({ object: "list", url: "/v1/invoices", has_more: rows.length > limit, data: rows.slice(0, limit).map((i) => invoiceJson(i, origin)) });
    }

    return stripeError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);
  }

  // ─── Test controls and hosted pages ───

  async function control(method: string, path: string, raw: string, origin: string): Promise<Response> {
    const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
    const parts = path.split("/").slice(2);
    if (method === "POST" && parts[0] === "webhook") {
      webhook = typeof body.url === "string" && typeof body.secret === "string" ? { url: body.url, secret: body.secret } : null;
      return Response.json({ ok: true });
    }
    if (method === "POST" && parts[0] === "checkout" && parts[2] === "complete") {
      const session = sessions.get(parts[1] ?? "");
      if (!session) return missing("checkout.session", parts[1] ?? "");
      if (session.status !== "open") return stripeError(400, "invalid_request_error", "This Checkout Session is no longer open.");
      const delivered = await deliverNow(completeSession(session, origin));
      return Response.json({ subscription: session.subscription, customer: session.customer, events: delivered });
    }
    if (method === "POST" && parts[0] === "subscriptions" && parts[2] === "status") {
      const sub = subscriptions.get(parts[1] ?? "");
      if (!sub) return missing("subscription", parts[1] ?? "");
      const status = body.status;
      const previous = { status: sub.status };
      const evts: StripeSandboxEvent[] = [];
      if (status === "past_due" || status === "unpaid") {
        // A renewal attempt failed.
        sub.periodStart = sub.periodEnd;
        sub.periodEnd = addInterval(sub.periodStart, prices.get(sub.priceId)!.interval);
        evts.push(...createInvoice(sub, origin, false, "Renewal").events);
        sub.status = status;
        evts.push(emit("customer.subscription.updated", subscriptionJson(sub), previous));
      } else if (status === "active") {
        const open = sub.latest_invoice ? invoices.get(sub.latest_invoice) : undefined;
        if (open && open.status === "open") {
          open.status = "paid";
          open.amount_paid = open.amount_due;
          evts.push(emit("invoice.paid", invoiceJson(open, origin)));
        }
        sub.status = "active";
        evts.push(emit("customer.subscription.updated", subscriptionJson(sub), previous));
      } else if (status === "canceled") {
        sub.status = "canceled";
        sub.canceled_at = clock();
        const open = sub.latest_invoice ? invoices.get(sub.latest_invoice) : undefined;
        if (open && open.status === "open") {
          open.status = "void";
          evts.push(emit("invoice.voided", invoiceJson(open, origin)));
        }
        evts.push(emit("customer.subscription.deleted", subscriptionJson(sub)));
      } else {
        return stripeError(400, "invalid_request_error", "status must be past_due, unpaid, active or canceled", { param: "status" });
      }
      return Response.json({ events: await deliverNow(evts) });
    }
    if (method === "POST" && parts[0] === "events" && parts[2] === "resend") {
      const event = events.get(parts[1] ?? "");
      if (!event) return missing("event", parts[1] ?? "");
      return Response.json({ status: await deliver(event) });
    }
    if (method === "POST" && parts[0] === "flush") {
      while (pending.size > 0) await Promise.all([...pending]);
      return Response.json({ ok: true });
    }
    if (method === "GET" && parts[0] === "state") return Response.json(state());
    return missing("control", path, "path");
  }

  async function payPage(method: string, sessionId: string, origin: string): Promise<Response> {
    const session = sessions.get(sessionId);
    if (!session) return new Response("Checkout session not found", { status: 404 });
    if (method === "POST") {
      if (session.status === "open") await deliverNow(completeSession(session, origin));
      const target = session.success_url.replace("{CHECKOUT_SESSION_ID}", session.id);
      return new Response(null, { status: 303, headers: { location: target, "cache-control": "no-store" } });
    }
    const price = prices.get(session.priceId)!;
    const amount = (price.unit_amount / 100).toFixed(2);
    const cancel = session.cancel_url ? `<p><a href="${escapeHtml(session.cancel_url)}">Cancel</a></p>` : "";
    return htmlNoStore(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stripe sandbox checkout</title></head>
<body><h1>Checkout (sandbox)</h1><p>${escapeHtml(price.currency.toUpperCase())} ${amount} / ${price.interval}</p>
<form method="post" action="${escapeHtml(`${basePath}/pay/${session.id}`)}"><button type="submit">Pay</button></form>${cancel}</body></html>`);
  }

  function state(): Json {
    return {
      customers: [...customers.values()],
      prices: [...prices.values()],
      sessions: [...sessions.values()],
      subscriptions: [...subscriptions.values()].map(subscriptionJson),
      invoices: [...invoices.values()],
      events: [...events.values()].map((e) => ({ id: e.id, type: e.type, created: e.created, deliveries: e.deliveries })),
    };
  }

  return { handler, state };
}
