import { withRoute } from "@/lib/api/with-route";
import { errorBody } from "@/lib/errors";
import { checkHealth } from "@/lib/health/check";

export const dynamic = "force-dynamic";

// GET /api/health – liveness of the app and what it depends on; 503 when the database is down.
export const GET = withRoute({ auth: "none", scope: "health" }, async () => {
  const health = await checkHealth();
  if (health.db === "ok") return Response.json(health, { headers: { "Cache-Control": "no-store" } });
  return Response.json(
    { ...health, ...errorBody("database_unavailable", "The database is unreachable.") },
    { status: 503, headers: { "Cache-Control": "no-store", "Retry-After": "5" } },
  );
});
