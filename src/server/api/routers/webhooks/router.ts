import { z } from "zod";

import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  replayDelivery,
  rotateWebhookSecret,
  sendTestEvent,
  updateWebhookEndpoint,
} from "~/server/services/developer/webhooks/endpoints";
import { createTRPCRouter, tenantProcedure } from "../../trpc";
import {
  ZCreateWebhookInput,
  ZDeliveriesInput,
  ZDeliveriesResult,
  ZEndpointIdInput,
  ZEndpointWithSecret,
  ZQueuedDelivery,
  ZReplayInput,
  ZUpdateWebhookInput,
  ZWebhookEndpoint,
} from "./schemas";

// Outbound webhook endpoints and deliveries (issue 8). Rules live in services/developer/webhooks.
const manage = tenantProcedure.meta({ permission: "developers:manage" });

export const webhooksRouter = createTRPCRouter({
  list: manage.output(z.array(ZWebhookEndpoint)).query(({ ctx }) => listWebhookEndpoints(ctx.tenantCtx)),
  get: manage.input(ZEndpointIdInput).output(ZWebhookEndpoint).query(({ ctx, input }) => getWebhookEndpoint(ctx.tenantCtx, input)),
  create: manage.meta({ stepUp: true }).input(ZCreateWebhookInput).output(ZEndpointWithSecret).mutation(({ ctx, input }) => createWebhookEndpoint(ctx.tenantCtx, input)),
  update: manage.input(ZUpdateWebhookInput).output(ZWebhookEndpoint).mutation(({ ctx, input }) => updateWebhookEndpoint(ctx.tenantCtx, input)),
  rotateSecret: manage.meta({ stepUp: true }).input(ZEndpointIdInput).output(ZEndpointWithSecret).mutation(({ ctx, input }) => rotateWebhookSecret(ctx.tenantCtx, input)),
  delete: manage.input(ZEndpointIdInput).output(z.object({ id: z.string() })).mutation(({ ctx, input }) => deleteWebhookEndpoint(ctx.tenantCtx, input)),
  sendTest: manage.input(ZEndpointIdInput).output(ZQueuedDelivery).mutation(({ ctx, input }) => sendTestEvent(ctx.tenantCtx, input)),
  deliveries: manage.input(ZDeliveriesInput).output(ZDeliveriesResult).query(({ ctx, input }) => listWebhookDeliveries(ctx.tenantCtx, input)),
  replay: manage.input(ZReplayInput).output(ZQueuedDelivery).mutation(({ ctx, input }) => replayDelivery(ctx.tenantCtx, input)),
});
