/**
 * The organization's product-telemetry opt-out (organizations.settings.productTelemetry, on by
 * default). Turning it off stops new events at once (the INSERT checks the flag) and deletes the
 * organization's recorded events in the same transaction: nothing stays to be "excluded" later
 * (LGPD art. 18 — the organization withdrew, so the data goes).
 */
import { z } from "zod";

import { notFound } from "~/server/lib/errors";
import { deleteProductEventsOfOrganization, findProductTelemetrySetting, setProductTelemetrySetting } from "~/server/repositories/product-events";
import { audit } from "../audit";
import type { TenantCtx } from "../context";

const ZProductTelemetry = z.boolean().default(true);

/** settings.productTelemetry, true when absent or not a boolean. */
export function productTelemetryFromSetting(stored: unknown): boolean {
  const parsed = ZProductTelemetry.safeParse(stored);
  return parsed.success ? parsed.data : true;
}

export async function getProductTelemetrySettings(ctx: TenantCtx) {
  return { enabled: productTelemetryFromSetting(await findProductTelemetrySetting(ctx.db, ctx.tenant.organizationId)) };
}

export async function setProductTelemetryEnabled(ctx: TenantCtx, enabled: boolean) {
  const { organizationId, userId } = ctx.tenant;
  return ctx.db.$transaction(async (tx) => {
    const before = productTelemetryFromSetting(await findProductTelemetrySetting(tx, organizationId));
    const updated = await setProductTelemetrySetting(tx, organizationId, enabled);
    if (updated === 0) throw notFound("Organization");
    const deletedEvents = enabled ? 0 : await deleteProductEventsOfOrganization(tx, organizationId);
    await audit(tx, { organizationId, userId, request: ctx.request }, "organization.productTelemetryChanged", { type: "organization", id: organizationId }, { before, after: enabled, deletedEvents });
    return { enabled, deletedEvents };
  });
}
