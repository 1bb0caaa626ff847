import "server-only";
import { and, eq, inArray, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { memberships, workspaces, type MembershipRole, type Workspace } from "@/db/schema";

export async function createWorkspace(
  db: Executor,
  params: { name: string; ownerId: string; timezone?: string },
): Promise<Workspace> {
  const [workspace] = await db
    .insert(workspaces)
    .values({ name: params.name, timezone: params.timezone ?? "UTC" })
    .returning();
  if (!workspace) throw new Error("workspace insert returned nothing");
  await db.insert(memberships).values({ workspaceId: workspace.id, userId: params.ownerId, role: "owner" });
  return workspace;
}

export async function addMember(
  db: Executor,
  params: { workspaceId: string; userId: string; role: MembershipRole },
): Promise<void> {
  await db
    .insert(memberships)
    .values(params)
    .onConflictDoUpdate({ target: [memberships.workspaceId, memberships.userId], set: { role: params.role } });
}

export async function findMembership(
  db: Executor,
  params: { workspaceId: string; userId: string },
): Promise<{ role: MembershipRole } | undefined> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, params.workspaceId), eq(memberships.userId, params.userId)))
    .limit(1);
  return row;
}

/**
 * The tenancy rule as one SQL condition: the row's workspace is one the user belongs to. Every
 * query over workspace data puts this in its WHERE, so another workspace's id simply finds nothing.
 */
export function inUserWorkspaces(userId: string, workspaceIdColumn: AnyColumn): SQL {
  return inArray(
    workspaceIdColumn,
    sql`(select ${memberships.workspaceId} from ${memberships} where ${memberships.userId} = ${userId})`,
  );
}

/** The ids of the user's workspaces, for queries that serve best with the workspaces spelled out. */
export async function findUserWorkspaceIds(db: Executor, params: { userId: string }): Promise<string[]> {
  const rows = await db
    .select({ workspaceId: memberships.workspaceId })
    .from(memberships)
    .where(eq(memberships.userId, params.userId));
  return rows.map((row) => row.workspaceId);
}
