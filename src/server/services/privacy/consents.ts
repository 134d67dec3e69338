/** The organization's LGPD consent history per connector (granted on connect, withdrawn on disconnect). */
import { consentRecordInOrganization, listConsentRecords } from "~/server/repositories/privacy-consents";
import type { TenantCtx } from "../context";

/** Shown instead of the name of a person whose account was erased. */
export const ERASED_USER_NAME = "Usuário removido";

export async function listConsents(ctx: TenantCtx, input: { limit: number; cursor?: string }) {
  const { organizationId } = ctx.tenant;
  // A cursor from another organization would still position the keyset: treat it as the end.
  if (input.cursor && !(await consentRecordInOrganization(ctx.db, organizationId, input.cursor))) return { items: [], nextCursor: null };
  const page = await listConsentRecords(ctx.db, organizationId, input);
  return {
    // IP and user agent stay in the record (proof of consent) but are not listed to every member.
    items: page.items.map((r) => ({
      id: r.id,
      provider: r.provider,
      version: r.version,
      action: r.action,
      connectionId: r.connectionId,
      createdAt: r.createdAt,
      by: r.user ? (r.user.erasedAt ? ERASED_USER_NAME : r.user.name) : null,
    })),
    nextCursor: page.nextCursor,
  };
}
