// Liveness: the process answers. No database call, so a database outage does not restart the app.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok", time: new Date().toISOString() });
}
