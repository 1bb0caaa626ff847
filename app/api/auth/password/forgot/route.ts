import { getDb } from "@/db/client";
import { clientInfo } from "@/lib/api/client-info";
import { afterResponse } from "@/lib/api/after-response";
import { readJson } from "@/lib/api/input";
import { withRoute } from "@/lib/api/with-route";
import { requestPasswordReset } from "@/lib/auth/password-reset";
import { enforceRateLimits, rateRules } from "@/lib/rate-limit";
import { forgotPasswordSchema } from "@/lib/validations/auth";

// POST /api/auth/password/forgot – mail a reset link if the account exists; always 202
export const POST = withRoute({ auth: "none", scope: "auth.forgot" }, async ({ req, log }) => {
  const input = await readJson(req, forgotPasswordSchema);
  const db = getDb();
  await enforceRateLimits(db, [
    { rule: rateRules.forgotPerIp, subject: clientInfo(req).ip },
    { rule: rateRules.forgotPerEmail, subject: input.email },
  ]);
  // After the response: the answer and its timing must not depend on whether the account exists.
  afterResponse(log, "password reset mail", () => requestPasswordReset(db, input));
  return Response.json({ status: "accepted" }, { status: 202 });
});
