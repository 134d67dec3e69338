import { dispatchRest, setRestSessionResolver } from "~/server/api/openapi/dispatch";
import { auth } from "~/server/auth/config";

export const dynamic = "force-dynamic";

/**
 * The REST API v1: every tRPC procedure annotated with `meta.openapi` (see
 * src/server/api/openapi), documented at /api/v1/openapi.json. Routes with their own folder under
 * /api/v1 (health, media, webhooks, the connect/callback flows, docs) take precedence.
 */
setRestSessionResolver(async () => {
  const session = await auth();
  return session?.user?.id ? { id: session.user.id } : null;
});

export const GET = (request: Request) => dispatchRest(request);
export const POST = (request: Request) => dispatchRest(request);
export const PATCH = (request: Request) => dispatchRest(request);
export const DELETE = (request: Request) => dispatchRest(request);
