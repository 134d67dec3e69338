import type { Fx, Rule } from "../access.test";
import { db } from "../helpers/fixtures";

// The fixture has no webhook rows: each organization's endpoint and delivery get ids derived from
// the organization's, so a row's input can name them before `setup` creates them (B's owner
// aiming at A's ids must get NOT_FOUND whether or not they exist yet).
const endpointIdOf = (fx: Fx) => `whe-${fx.a.organizationId}`;
const deliveryIdOf = (fx: Fx) => `whd-${fx.a.organizationId}`;

async function withEndpoint(fx: Fx) {
  const organizationId = fx.a.organizationId;
  await db.webhookEndpoint.upsert({
    where: { id: endpointIdOf(fx) },
    create: { id: endpointIdOf(fx), organizationId, url: "https://example.com/hooks", secretEnc: "unused-in-access-test", secretHint: "whsec_abcd…", events: ["action.applied"] },
    update: {},
  });
  await db.webhookDelivery.upsert({
    where: { id: deliveryIdOf(fx) },
    create: {
      id: deliveryIdOf(fx),
      organizationId,
      endpointId: endpointIdOf(fx),
      eventId: `evt-${organizationId}`,
      event: "action.applied",
      payload: { id: `evt-${organizationId}`, type: "action.applied", organizationId, data: {} },
      status: "FAILED",
      attempts: 8,
    },
    update: {},
  });
}

const manage = { access: "tenant", permission: "developers:manage", minRole: "MANAGER" } as const;

/** Access rows of the webhooks procedures (see access.test.ts for what each row checks). */
export const webhooksAccess: Record<string, Rule> = {
  "webhooks.list": { ...manage, input: () => undefined, setup: withEndpoint },
  "webhooks.get": { ...manage, input: (fx) => ({ id: endpointIdOf(fx) }), targetsRow: true, setup: withEndpoint },
  "webhooks.create": { ...manage, input: () => ({ url: "https://example.com/new-hook", description: "ERP", events: ["action.applied", "listing.score_changed"] }) },
  "webhooks.update": { ...manage, input: (fx) => ({ id: endpointIdOf(fx), description: "novo", events: ["action.failed"] }), targetsRow: true, setup: withEndpoint },
  "webhooks.rotateSecret": { ...manage, input: (fx) => ({ id: endpointIdOf(fx) }), targetsRow: true, setup: withEndpoint },
  "webhooks.delete": { ...manage, input: (fx) => ({ id: endpointIdOf(fx) }), targetsRow: true, setup: withEndpoint },
  "webhooks.sendTest": { ...manage, input: (fx) => ({ id: endpointIdOf(fx) }), targetsRow: true, setup: withEndpoint },
  "webhooks.deliveries": { ...manage, input: (fx) => ({ endpointId: endpointIdOf(fx), limit: 25 }), targetsRow: true, setup: withEndpoint },
  "webhooks.replay": { ...manage, input: (fx) => ({ deliveryId: deliveryIdOf(fx) }), targetsRow: true, setup: withEndpoint },
};
