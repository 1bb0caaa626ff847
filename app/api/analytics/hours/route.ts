import { getDb } from "@/db/client";
import { withRoute } from "@/lib/api/with-route";
import { readQuery } from "@/lib/api/input";
import { getBusiestHours } from "@/lib/analytics/metrics";
import { analyticsQuerySchema } from "@/lib/analytics/params";
import { resolveAnalyticsScope } from "@/lib/analytics/scope";

// GET /api/analytics/hours – messages per local weekday × hour over the range (the busiest-hours heatmap)
export const GET = withRoute({ auth: "required", scope: "analytics.hours" }, async ({ req, user }) => {
  const db = getDb();
  const scope = await resolveAnalyticsScope(db, { userId: user.id, query: readQuery(req, analyticsQuerySchema) });
  return Response.json({ from: scope.from, to: scope.to, timezone: scope.tz, hours: await getBusiestHours(db, scope) });
});
