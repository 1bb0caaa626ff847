import { getDb } from "@/db/client";
import { withRoute } from "@/lib/api/with-route";
import { env } from "@/lib/env";
import { grantRealtimeAccess } from "@/lib/realtime/access";

export const dynamic = "force-dynamic";

// GET /api/realtime/token – a short-lived socket token, the sidecar's URL and the caller's current cursor
export const GET = withRoute({ auth: "required", scope: "realtime.token" }, async ({ user }) => {
  const grant = await grantRealtimeAccess(getDb(), { userId: user.id });
  return Response.json({ ...grant, url: env.REALTIME_URL }, { headers: { "Cache-Control": "no-store" } });
});
