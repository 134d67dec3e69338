import { jsonError } from "~/server/lib/http";
import { correlationIdFrom } from "~/server/lib/request-meta";

// Any /api path that no route handles: a JSON 404, never the HTML not-found page.
function notFound(request: Request) {
  return jsonError("NOT_FOUND", "No API route matches this path", { correlationId: correlationIdFrom(request.headers), reason: "routeNotFound" });
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
