import { CORRELATION_HEADER } from "~/server/lib/request-meta";
import { restCall } from "../../../_lib/rest";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/actions/:id/approve with an optional JSON body `{ "payload": { … } }` (the edited
 * change; validated against the action's type) — `{ data: { id, status: "APPROVED" }, meta, errors }`.
 * The change is applied to the marketplace by a background function; poll the action's status.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const text = await request.text();
  let body: unknown = {};
  if (text.trim()) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  // The body, when there is one, is a JSON object: anything else is refused, never approved as if empty.
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    const correlationId = request.headers.get(CORRELATION_HEADER);
    return Response.json({ data: null, meta: { correlationId }, errors: [{ code: "BAD_REQUEST", message: "The body must be a JSON object: { \"payload\": { … } }" }] }, { status: 400 });
  }
  // Passed through as given: the procedure's zod schema validates it (and refuses with 400).
  const payload = (body as { payload?: Record<string, unknown> }).payload;
  return restCall(request, (api) => api.actions.approve({ id, ...(payload !== undefined ? { payload } : {}) }));
}
