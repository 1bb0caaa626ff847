import { getDb } from "@/db/client";
import { clientInfo } from "@/lib/api/client-info";
import { readJson } from "@/lib/api/input";
import { withRoute } from "@/lib/api/with-route";
import { resetPassword } from "@/lib/auth/password-reset";
import { enforceRateLimits, rateRules } from "@/lib/rate-limit";
import { resetPasswordSchema } from "@/lib/validations/auth";

// POST /api/auth/password/reset – set a new password with a mailed token; ends every session
export const POST = withRoute({ auth: "none", scope: "auth.reset" }, async ({ req }) => {
  const input = await readJson(req, resetPasswordSchema);
  const db = getDb();
  await enforceRateLimits(db, [{ rule: rateRules.resetPerIp, subject: clientInfo(req).ip }]);
  await resetPassword(db, input);
  return new Response(null, { status: 204 });
});
