import { dispatchRest } from "~/server/api/openapi/dispatch";

export const dynamic = "force-dynamic";

/**
 * The REST API v1: every tRPC procedure annotated with `meta.openapi` (see
 * src/server/api/openapi), documented at /api/v1/openapi.json. Routes with their own folder under
 * /api/v1 (health, media, webhooks, the connect/callback flows, docs) take precedence.
 */
export const GET = (request: Request) => dispatchRest(request);
export const POST = (request: Request) => dispatchRest(request);
export const PATCH = (request: Request) => dispatchRest(request);
export const DELETE = (request: Request) => dispatchRest(request);
// No route uses PUT: exported so a PUT on a known path gets the JSON 405 (with Allow) rather than Next's empty one.
export const PUT = (request: Request) => dispatchRest(request);
