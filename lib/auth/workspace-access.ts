import "server-only";
import type { Executor } from "@/db/client";
import { listUserWorkspaces, type WorkspaceMembership } from "@/db/queries/users";
import type { MembershipRole } from "@/db/schema";
import { AppError } from "@/lib/errors";

const rank: Record<MembershipRole, number> = { agent: 0, admin: 1, owner: 2 };

/**
 * The workspace a request acts in: the one named (if the caller belongs to it; otherwise 404, as if
 * it did not exist) or the caller's first workspace. `minimumRole` guards admin actions with 403.
 */
export async function resolveWorkspace(
  db: Executor,
  params: { userId: string; workspaceId?: string | null; minimumRole?: MembershipRole },
): Promise<WorkspaceMembership> {
  const workspaces = await listUserWorkspaces(db, { userId: params.userId });
  const workspace = params.workspaceId ? workspaces.find((candidate) => candidate.id === params.workspaceId) : workspaces[0];
  if (!workspace) throw AppError.notFound("Workspace");
  if (params.minimumRole && rank[workspace.role] < rank[params.minimumRole]) {
    throw new AppError("forbidden", `This needs the ${params.minimumRole} role in ${workspace.name}.`);
  }
  return workspace;
}
