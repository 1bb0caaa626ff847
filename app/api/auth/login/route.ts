import { getDb } from "@/db/client";
import { clientInfo } from "@/lib/api/client-info";
import { readJson } from "@/lib/api/input";
import { withRoute } from "@/lib/api/with-route";
import { authenticate } from "@/lib/auth/accounts";
import { startApiSession } from "@/lib/auth/api-sessions";
import { enforceRateLimits, rateRules } from "@/lib/rate-limit";
import { loginSchema } from "@/lib/validations/auth";

// POST /api/auth/login – exchange email and password for an access token and a refresh token
export const POST = withRoute({ auth: "none", scope: "auth.login" }, async ({ req }) => {
  const input = await readJson(req, loginSchema);
  const db = getDb();
  const client = clientInfo(req);
  await enforceRateLimits(db, [
    { rule: rateRules.loginPerIp, subject: client.ip },
    { rule: rateRules.loginPerEmail, subject: input.email },
  ]);
  const user = await authenticate(db, input, { via: "api", client });
  return Response.json(await startApiSession(db, user, client), { headers: { "Cache-Control": "no-store" } });
});
