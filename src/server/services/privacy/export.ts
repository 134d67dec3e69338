/** The LGPD data export (art. 18 II and V): one JSON document of everything about the person. */
import { createLimiter } from "~/server/lib/rate-limit";
import { collectPersonalData } from "~/server/repositories/privacy-export";
import { listProductEventsOfUser } from "~/server/repositories/product-events";
import { audit } from "../audit";
import type { UserCtx } from "../context";

/** Bumped when a category is added, renamed or removed. */
export const EXPORT_SCHEMA_VERSION = 2;

// A dozen queries over every table the person touched: a few a day is what a person needs.
const exportLimiter = createLimiter("privacy-export", 5, 60 * 60);

export function exportFileName(now: Date) {
  return `super-seller-dados-${now.toISOString().slice(0, 10)}.json`;
}

export async function exportMyData(ctx: UserCtx, now = new Date()) {
  await exportLimiter.consume(ctx.userId);
  const data = await collectPersonalData(ctx.db, ctx.userId);
  // Version 2: the person's product telemetry events (feature, organization, when).
  const productEvents = await listProductEventsOfUser(ctx.db, ctx.userId);
  await audit(ctx.db, { organizationId: null, userId: ctx.userId, request: ctx.request }, "privacy.exported");
  return { schemaVersion: EXPORT_SCHEMA_VERSION, generatedAt: now.toISOString(), ...data, productEvents };
}
