import type { DbOrTx } from "~/server/db";
import type { Prisma } from "~/generated/prisma/client";
import { appendAudit } from "~/server/repositories/audit";
import type { RequestMeta } from "./context";

/** Records who did what, from where. Call inside the same transaction as the change itself. */
export function audit(
  db: DbOrTx,
  who: { organizationId: string | null; userId: string | null; request?: RequestMeta },
  action: string,
  target?: { type: string; id: string },
  metadata?: Prisma.InputJsonObject,
) {
  return appendAudit(db, {
    organizationId: who.organizationId,
    actorUserId: who.userId,
    action,
    targetType: target?.type,
    targetId: target?.id,
    // A change made through an API key names the key (the actor is the key's creator).
    metadata: who.request?.apiKeyId ? { ...metadata, apiKeyId: who.request.apiKeyId } : metadata,
    ip: who.request?.ip,
    userAgent: who.request?.userAgent,
    correlationId: who.request?.correlationId,
  });
}
