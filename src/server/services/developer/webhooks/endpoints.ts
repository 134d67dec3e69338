/**
 * What a person does with the organization's webhook endpoints (developers:manage): list, create
 * (the signing secret is shown once), update, rotate the secret, delete (soft), send a test event,
 * read the delivery log and replay a delivery. Every change is audited in its transaction.
 */
import type { Prisma } from "~/generated/prisma/client";
import type { WebhookDeliveryStatus } from "~/generated/prisma/enums";
import { AppError, notFound } from "~/server/lib/errors";
import { encrypt } from "~/server/lib/secrets";
import {
  countEndpoints,
  createEndpoint,
  deliveryBelongsTo,
  findDelivery,
  findEndpoint,
  insertDeliveries,
  listDeliveries,
  listEndpoints,
  stopPendingDeliveries,
  updateEndpoint,
  type EndpointRow,
} from "~/server/repositories/webhooks";
import { audit } from "../../audit";
import type { TenantCtx } from "../../context";
import { strictWebhookUrls } from "./deliver";
import { envelope, requestDelivery } from "./emit";
import { MAX_ENDPOINTS_PER_ORG, type SubscribableEvent } from "./catalog";
import { newWebhookSecret, secretHintOf } from "./signing";
import { checkWebhookUrl } from "./url-guard";


function who(ctx: TenantCtx) {
  return { organizationId: ctx.tenant.organizationId, userId: ctx.tenant.userId, request: ctx.request };
}

function target(id: string) {
  return { type: "webhookEndpoint", id };
}

/** The URL rules of create and update: http(s) only; https and no internal host in production (see strictWebhookUrls). */
export function assertEndpointUrl(url: string, production = strictWebhookUrls()) {
  const refusal = checkWebhookUrl(url, { production });
  if (refusal) throw new AppError("BAD_REQUEST", `webhookUrl.${refusal}`, `This URL cannot receive webhooks (${refusal})`);
}

/** What lists show: the row, and the state the UI names (active / failing / disabled). */
function view(row: EndpointRow) {
  return { ...row, state: !row.enabled ? ("disabled" as const) : row.failingSince ? ("failing" as const) : ("active" as const) };
}

export async function listWebhookEndpoints(ctx: TenantCtx) {
  return (await listEndpoints(ctx.db, ctx.tenant.organizationId)).map(view);
}

export async function getWebhookEndpoint(ctx: TenantCtx, input: { id: string }) {
  const row = await findEndpoint(ctx.db, ctx.tenant.organizationId, input.id);
  if (!row) throw notFound("Webhook endpoint");
  return view(row);
}

export async function createWebhookEndpoint(ctx: TenantCtx, input: { url: string; description?: string | null; events: SubscribableEvent[] }) {
  assertEndpointUrl(input.url);
  const { organizationId, userId } = ctx.tenant;
  const secret = newWebhookSecret();
  const row = await ctx.db.$transaction(async (tx) => {
    // Counted inside the transaction; two racing creates at the limit may both pass (harmless: 11).
    if ((await countEndpoints(tx, organizationId)) >= MAX_ENDPOINTS_PER_ORG) {
      throw new AppError("CONFLICT", "webhookEndpointLimit", `An organization may have at most ${MAX_ENDPOINTS_PER_ORG} webhook endpoints`, { limit: MAX_ENDPOINTS_PER_ORG });
    }
    const created = await createEndpoint(tx, organizationId, {
      url: input.url,
      description: input.description?.trim() || null,
      events: [...new Set(input.events)],
      secretEnc: encrypt(secret),
      secretHint: secretHintOf(secret),
      createdById: userId,
    });
    await audit(tx, who(ctx), "webhook.endpointCreated", target(created.id), { url: created.url, events: created.events });
    return created;
  });
  return { endpoint: view(row), secret };
}

export async function updateWebhookEndpoint(
  ctx: TenantCtx,
  input: { id: string; url?: string; description?: string | null; events?: SubscribableEvent[]; enabled?: boolean },
) {
  const { organizationId } = ctx.tenant;
  if (input.url !== undefined) assertEndpointUrl(input.url);
  return ctx.db.$transaction(async (tx) => {
    const before = await findEndpoint(tx, organizationId, input.id);
    if (!before) throw notFound("Webhook endpoint");
    const data: Prisma.WebhookEndpointUpdateManyMutationInput = {};
    if (input.url !== undefined) data.url = input.url;
    if (input.description !== undefined) data.description = input.description?.trim() || null;
    if (input.events !== undefined) data.events = [...new Set(input.events)];
    if (input.enabled === true && !before.enabled) Object.assign(data, { enabled: true, failingSince: null, disabledAt: null, disabledReason: null });
    if (input.enabled === false && before.enabled) Object.assign(data, { enabled: false, disabledAt: new Date(), disabledReason: "manual" });
    await updateEndpoint(tx, organizationId, input.id, data);
    if (input.enabled === false && before.enabled) await stopPendingDeliveries(tx, input.id, "Endpoint disabled");
    const changed = Object.keys(data);
    await audit(tx, who(ctx), "webhook.endpointUpdated", target(input.id), { changed, ...(input.url !== undefined ? { url: input.url } : {}) });
    return view((await findEndpoint(tx, organizationId, input.id))!);
  });
}

export async function rotateWebhookSecret(ctx: TenantCtx, input: { id: string }) {
  const { organizationId } = ctx.tenant;
  const secret = newWebhookSecret();
  const row = await ctx.db.$transaction(async (tx) => {
    if (!(await updateEndpoint(tx, organizationId, input.id, { secretEnc: encrypt(secret), secretHint: secretHintOf(secret) }))) throw notFound("Webhook endpoint");
    await audit(tx, who(ctx), "webhook.secretRotated", target(input.id));
    return (await findEndpoint(tx, organizationId, input.id))!;
  });
  return { endpoint: view(row), secret };
}

export async function deleteWebhookEndpoint(ctx: TenantCtx, input: { id: string }) {
  const { organizationId } = ctx.tenant;
  await ctx.db.$transaction(async (tx) => {
    const row = await findEndpoint(tx, organizationId, input.id);
    if (!row) throw notFound("Webhook endpoint");
    await updateEndpoint(tx, organizationId, input.id, { deletedAt: new Date(), enabled: false });
    await stopPendingDeliveries(tx, input.id, "Endpoint deleted");
    await audit(tx, who(ctx), "webhook.endpointDeleted", target(input.id), { url: row.url });
  });
  return { id: input.id };
}

/** A new delivery of one endpoint, sent right away (test events and replays). */
async function queueOne(ctx: TenantCtx, endpointId: string, data: { eventId: string; event: string; payload: Prisma.InputJsonValue; replayOfId?: string }, action: string, metadata: Prisma.InputJsonObject) {
  const { organizationId } = ctx.tenant;
  const [created] = await ctx.db.$transaction(async (tx) => {
    const endpoint = await findEndpoint(tx, organizationId, endpointId);
    if (!endpoint) throw notFound("Webhook endpoint");
    if (!endpoint.enabled) throw new AppError("CONFLICT", "webhookEndpointDisabled", "Enable the endpoint before sending to it");
    const rows = await insertDeliveries(tx, [{ organizationId, endpointId, ...data, nextAttemptAt: new Date() }]);
    await audit(tx, who(ctx), action, target(endpointId), { ...metadata, deliveryId: rows[0]!.id });
    return rows;
  });
  await requestDelivery(organizationId, { deliveryIds: [created!.id] });
  return { deliveryId: created!.id };
}

export async function sendTestEvent(ctx: TenantCtx, input: { id: string }) {
  const e = envelope(ctx.tenant.organizationId, "webhook.test", { endpointId: input.id, message: "Test event from Super Seller" }, new Date());
  return queueOne(ctx, input.id, { eventId: e.id, event: e.type, payload: e as unknown as Prisma.InputJsonValue }, "webhook.testSent", { eventId: e.id });
}

export async function replayDelivery(ctx: TenantCtx, input: { deliveryId: string }) {
  const original = await findDelivery(ctx.db, ctx.tenant.organizationId, input.deliveryId);
  if (!original) throw notFound("Webhook delivery");
  return queueOne(
    ctx,
    original.endpointId,
    { eventId: original.eventId, event: original.event, payload: original.payload as Prisma.InputJsonValue, replayOfId: original.id },
    "webhook.deliveryReplayed",
    { eventId: original.eventId, replayOfId: original.id },
  );
}

export async function listWebhookDeliveries(
  ctx: TenantCtx,
  input: { endpointId: string; limit: number; cursor?: string; status?: WebhookDeliveryStatus; event?: string },
) {
  const { organizationId } = ctx.tenant;
  if (!(await findEndpoint(ctx.db, organizationId, input.endpointId))) throw notFound("Webhook endpoint");
  // A cursor from another endpoint or organization reads as the end of the list.
  if (input.cursor && !(await deliveryBelongsTo(ctx.db, organizationId, input.endpointId, input.cursor))) return { items: [], nextCursor: null };
  return listDeliveries(ctx.db, organizationId, input.endpointId, input);
}
