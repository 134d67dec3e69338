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
  let body: { payload?: Record<string, unknown> } = {};
  if (text.trim()) {
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      const correlationId = request.headers.get(CORRELATION_HEADER);
      return Response.json({ data: null, meta: { correlationId }, errors: [{ code: "BAD_REQUEST", message: "Invalid JSON body" }] }, { status: 400 });
    }
  }
  const payload = body && typeof body === "object" && !Array.isArray(body) ? body.payload : undefined;
  return restCall(request, (api) => api.actions.approve({ id, ...(payload !== undefined ? { payload } : {}) }));
}
