import { getDb } from "@/db/client";
import { clientInfo } from "@/lib/api/client-info";
import { readJson } from "@/lib/api/input";
import { withRoute } from "@/lib/api/with-route";
import { registerUser, toPublicUser } from "@/lib/auth/accounts";
import { enforceRateLimits, rateRules } from "@/lib/rate-limit";
import { registerSchema } from "@/lib/validations/auth";

// POST /api/auth/register – create an account and its personal workspace
export const POST = withRoute({ auth: "none", scope: "auth.register" }, async ({ req }) => {
  const input = await readJson(req, registerSchema);
  const db = getDb();
  await enforceRateLimits(db, [
    { rule: rateRules.registerPerIp, subject: clientInfo(req).ip },
    { rule: rateRules.registerPerEmail, subject: input.email },
  ]);
  const user = await registerUser(db, input);
  return Response.json({ user: toPublicUser(user) }, { status: 201 });
});
