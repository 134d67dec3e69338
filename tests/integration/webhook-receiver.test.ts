/**
 * A receiver written only from docs/webhooks.md: the verification code below is the doc's example,
 * copied verbatim (the first test fails if the two drift apart), and nothing here imports the
 * signing code from src. Real deliveries reach it over HTTP; it accepts them, drops a replay as a
 * duplicate, and rejects a tampered body and a stale timestamp.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { deliverDue } from "~/server/services/developer/webhooks/deliver";
import { emitWebhookEvent } from "~/server/services/developer/webhooks/emit";
import { serveFetch, type ServedFetch } from "../helpers/serve-fetch";
import { callerFor, createOrgFixture, db, type OrgFixture } from "./helpers/fixtures";

// --- copied from docs/webhooks.md ---
import { createHmac, timingSafeEqual } from "node:crypto";

const TOLERANCE_SECONDS = 5 * 60;
// Event ids already processed. In production keep them in your database (or Redis) for a few days.
const seenEventIds = new Set<string>();

type Verdict = { ok: true; duplicate: boolean } | { ok: false; reason: "missing_headers" | "stale_timestamp" | "bad_signature" };

/** `headers` with lowercase names; `rawBody` exactly as received. */
export function verifySuperSellerWebhook(secret: string, headers: Record<string, string | undefined>, rawBody: string, nowMs = Date.now()): Verdict {
  const timestamp = headers["x-superseller-timestamp"];
  const signature = headers["x-superseller-signature"];
  const eventId = headers["x-superseller-event-id"];
  if (!timestamp || !signature || !eventId || !/^\d+$/.test(timestamp)) return { ok: false, reason: "missing_headers" };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return { ok: false, reason: "stale_timestamp" };
  const expected = Buffer.from(`v1=${createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex")}`);
  const received = Buffer.from(signature);
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) return { ok: false, reason: "bad_signature" };
  if (seenEventIds.has(eventId)) return { ok: true, duplicate: true };
  seenEventIds.add(eventId);
  return { ok: true, duplicate: false };
}
// --- end of copy ---

type Seen = { headers: Record<string, string>; body: string; verdict: Verdict };
const seen: Seen[] = [];
let secret = "";
let receiver: ServedFetch;
let fx: OrgFixture;
let endpointId: string;

beforeAll(async () => {
  receiver = await serveFetch(async (request) => {
    const headers = Object.fromEntries(request.headers.entries());
    const body = await request.text();
    const verdict = verifySuperSellerWebhook(secret, headers, body);
    seen.push({ headers, body, verdict });
    return new Response(null, { status: verdict.ok ? 200 : 400 });
  });
  fx = await createOrgFixture("receptor");
  const manager = await callerFor(fx.users.MANAGER.userId);
  const created = await manager.webhooks.create({ url: `${receiver.url}/superseller`, events: ["action.applied"] });
  secret = created.secret;
  endpointId = created.endpoint.id;
});

afterAll(async () => {
  await receiver?.close();
});

const payload = () => ({ actionId: "act_receiver", listingId: fx.listingId, type: "ADJUST_PRICE", appliedAt: new Date().toISOString() });

describe("a receiver built from docs/webhooks.md", () => {
  it("uses the documentation's code verbatim", async () => {
    const doc = await readFile(path.join(import.meta.dirname, "../../docs/webhooks.md"), "utf8");
    const self = await readFile(import.meta.filename, "utf8");
    const copy = self.split("// --- copied from docs/webhooks.md ---\n")[1]!.split("// --- end of copy ---")[0]!;
    expect(copy.length).toBeGreaterThan(500);
    expect(doc).toContain(copy);
  });

  it("verifies a real delivery, and sees its replay as a duplicate", async () => {
    const eventId = await emitWebhookEvent(db, fx.organizationId, "action.applied", payload());
    await deliverDue(db, { organizationId: fx.organizationId });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.verdict).toEqual({ ok: true, duplicate: false });
    expect(seen[0]!.headers["x-superseller-event-id"]).toBe(eventId);
    const [delivery] = await db.webhookDelivery.findMany({ where: { endpointId } });
    expect(delivery).toMatchObject({ status: "SUCCEEDED", responseCode: 200 });

    const manager = await callerFor(fx.users.MANAGER.userId);
    const { deliveryId } = await manager.webhooks.replay({ deliveryId: delivery!.id });
    await deliverDue(db, { deliveryIds: [deliveryId] });
    expect(seen[1]!.verdict).toEqual({ ok: true, duplicate: true });
  });

  it("rejects a tampered body (and a signature made with another secret)", () => {
    const { headers, body } = seen[0]!;
    const tampered = body.replace("act_receiver", "act_someone_else");
    expect(tampered).not.toBe(body);
    expect(verifySuperSellerWebhook(secret, headers, tampered)).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifySuperSellerWebhook("whsec_not_the_secret", headers, body)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("rejects a stale timestamp: a captured request replayed later, and a delivery signed 10 minutes ago", async () => {
    const { headers, body } = seen[0]!;
    const signedAt = Number(headers["x-superseller-timestamp"]) * 1000;
    expect(verifySuperSellerWebhook(secret, headers, body, signedAt + 6 * 60_000)).toEqual({ ok: false, reason: "stale_timestamp" });

    // A real attempt whose timestamp is 10 minutes old: refused with 400, so it stays pending for a retry.
    await emitWebhookEvent(db, fx.organizationId, "action.applied", payload(), new Date(Date.now() - 11 * 60_000));
    await deliverDue(db, { organizationId: fx.organizationId, now: new Date(Date.now() - 10 * 60_000) });
    expect(seen.at(-1)!.verdict).toEqual({ ok: false, reason: "stale_timestamp" });
    const latest = await db.webhookDelivery.findFirstOrThrow({ where: { endpointId }, orderBy: { createdAt: "desc" } });
    expect(latest).toMatchObject({ status: "PENDING", responseCode: 400, attempts: 1 });
  });

  it("rejects a request without the signature headers", () => {
    const { body } = seen[0]!;
    expect(verifySuperSellerWebhook(secret, { "content-type": "application/json" }, body)).toEqual({ ok: false, reason: "missing_headers" });
  });
});
