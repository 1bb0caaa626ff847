import { getDb } from "@/db/client";
import { clientInfo } from "@/lib/api/client-info";
import { readJson } from "@/lib/api/input";
import { withRoute } from "@/lib/api/with-route";
import { refreshApiSession } from "@/lib/auth/api-sessions";
import { enforceRateLimits, rateRules } from "@/lib/rate-limit";
import { refreshSchema } from "@/lib/validations/auth";

// POST /api/auth/refresh – rotate a refresh token into a new token pair
export const POST = withRoute({ auth: "none", scope: "auth.refresh" }, async ({ req }) => {
  const input = await readJson(req, refreshSchema);
  const db = getDb();
  const client = clientInfo(req);
  await enforceRateLimits(db, [{ rule: rateRules.refreshPerIp, subject: client.ip }]);
  return Response.json(await refreshApiSession(db, input.refreshToken, client), { headers: { "Cache-Control": "no-store" } });
});
