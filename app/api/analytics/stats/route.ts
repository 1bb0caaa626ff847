import { getDb } from "@/db/client";
import { withRoute } from "@/lib/api/with-route";
import { readQuery } from "@/lib/api/input";
import { getStats } from "@/lib/analytics/metrics";
import { analyticsQuerySchema } from "@/lib/analytics/params";
import { resolveAnalyticsScope } from "@/lib/analytics/scope";

// GET /api/analytics/stats – today (in `tz`) against yesterday, per platform, and unread now
export const GET = withRoute({ auth: "required", scope: "analytics.stats" }, async ({ req, user }) => {
  const db = getDb();
  const scope = await resolveAnalyticsScope(db, { userId: user.id, query: readQuery(req, analyticsQuerySchema) });
  return Response.json(await getStats(db, scope));
});
