import { getDb } from "@/db/client";
import { withRoute } from "@/lib/api/with-route";
import { describeUser } from "@/lib/auth/accounts";

// GET /api/auth/me – the caller and the workspaces they belong to
export const GET = withRoute({ auth: "required", scope: "auth.me" }, async ({ user }) => {
  return Response.json({ user: await describeUser(getDb(), user.user) });
});
