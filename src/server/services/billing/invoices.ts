import { notFound } from "~/server/lib/errors";
import { invoiceBelongsTo, listInvoices as listInvoiceRows } from "~/server/repositories/billing";
import type { TenantCtx } from "../context";

/** The organization's invoices (Stripe's mirrored by the webhook, and test-mode ones), newest first. */
export async function listInvoices(ctx: TenantCtx, input: { cursor?: string; limit: number }) {
  const orgId = ctx.tenant.organizationId;
  // A cursor is an invoice id: another organization's id is "not found", never a page of ours.
  if (input.cursor && !(await invoiceBelongsTo(ctx.db, orgId, input.cursor))) throw notFound("Invoice");
  return listInvoiceRows(ctx.db, orgId, input);
}
