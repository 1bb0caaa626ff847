import { getDb } from "@/db/client";
import { readJson } from "@/lib/api/input";
import { withRoute } from "@/lib/api/with-route";
import { endApiSession } from "@/lib/auth/api-sessions";
import { sessionCookieNames } from "@/lib/auth/session-cookie";
import { logoutSchema } from "@/lib/validations/auth";

// POST /api/auth/logout – end the API session (refresh token family) or the browser session
export const POST = withRoute({ auth: "required", scope: "auth.logout" }, async ({ req, user }) => {
  const input = await readJson(req, logoutSchema);
  await endApiSession(getDb(), { userId: user.id, refreshToken: input.refreshToken, sessionId: user.sessionId });
  const response = new Response(null, { status: 204 });
  if (!user.sessionId) {
    for (const name of sessionCookieNames) {
      response.headers.append(
        "Set-Cookie",
        `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${name.startsWith("__Secure-") ? "; Secure" : ""}`,
      );
    }
  }
  return response;
});
