import { getDb } from "@/db/client";
import { withRoute } from "@/lib/api/with-route";
import { readQuery } from "@/lib/api/input";
import { getResponseTimes } from "@/lib/analytics/metrics";
import { analyticsQuerySchema } from "@/lib/analytics/params";
import { resolveAnalyticsScope } from "@/lib/analytics/scope";

// GET /api/analytics/response-times – p50/p90 first-response and reply times in seconds (null without samples)
export const GET = withRoute({ auth: "required", scope: "analytics.response_times" }, async ({ req, user }) => {
  const db = getDb();
  const scope = await resolveAnalyticsScope(db, { userId: user.id, query: readQuery(req, analyticsQuerySchema) });
  const times = await getResponseTimes(db, scope);
  return Response.json({ from: scope.from, to: scope.to, timezone: scope.tz, ...times });
});
