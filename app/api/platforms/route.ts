import { getDb } from "@/db/client";
import { listPlatformAccountsForUser } from "@/db/queries/platform-accounts";
import { readQuery } from "@/lib/api/input";
import { withRoute } from "@/lib/api/with-route";
import { resolveWorkspace } from "@/lib/auth/workspace-access";
import { toPlatformDto } from "@/lib/platforms/dto";
import { listPlatformsQuery } from "@/lib/validations/platforms";

// GET /api/platforms – the connected accounts of the caller's workspaces (never tokens)
export const GET = withRoute({ auth: "required", scope: "platforms.list" }, async ({ req, user }) => {
  const query = readQuery(req, listPlatformsQuery);
  // Another workspace's id answers 404 like everywhere else, not an empty list.
  if (query.workspaceId) await resolveWorkspace(getDb(), { userId: user.id, workspaceId: query.workspaceId });
  const accounts = await listPlatformAccountsForUser(getDb(), { userId: user.id, workspaceId: query.workspaceId });
  return Response.json({ platforms: accounts.map(toPlatformDto) });
});
