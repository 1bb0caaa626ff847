import { getDb } from "@/db/client";
import { withRoute } from "@/lib/api/with-route";
import { readQuery } from "@/lib/api/input";
import { getDailySeries } from "@/lib/analytics/metrics";
import { analyticsQuerySchema } from "@/lib/analytics/params";
import { resolveAnalyticsScope } from "@/lib/analytics/scope";

// GET /api/analytics/daily – every day of the range × platform, zeros included
export const GET = withRoute({ auth: "required", scope: "analytics.daily" }, async ({ req, user }) => {
  const db = getDb();
  const scope = await resolveAnalyticsScope(db, { userId: user.id, query: readQuery(req, analyticsQuerySchema) });
  return Response.json({ from: scope.from, to: scope.to, timezone: scope.tz, days: await getDailySeries(db, scope) });
});
