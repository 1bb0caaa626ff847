import { getDb } from "@/db/client";
import { withRoute } from "@/lib/api/with-route";
import { readQuery } from "@/lib/api/input";
import { getPlatformBreakdown } from "@/lib/analytics/metrics";
import { analyticsQuerySchema } from "@/lib/analytics/params";
import { resolveAnalyticsScope } from "@/lib/analytics/scope";

// GET /api/analytics/platform – volumes, conversations and share of messages per platform over the range
export const GET = withRoute({ auth: "required", scope: "analytics.platform" }, async ({ req, user }) => {
  const db = getDb();
  const scope = await resolveAnalyticsScope(db, { userId: user.id, query: readQuery(req, analyticsQuerySchema) });
  const breakdown = await getPlatformBreakdown(db, scope);
  return Response.json({ from: scope.from, to: scope.to, timezone: scope.tz, ...breakdown });
});
