import { db } from "~/server/db";
import { checkReadiness } from "~/server/services/health/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const readiness = await checkReadiness(db);
  return Response.json({ status: readiness.ready ? "ready" : "not_ready", ...readiness.checks }, { status: readiness.ready ? 200 : 503 });
}
