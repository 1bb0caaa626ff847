import { randomBytes } from "node:crypto";
import { getDb } from "@/db/client";
import { insertUser } from "@/db/queries/users";
import { addMember, createWorkspace } from "@/db/queries/workspaces";
import type { MembershipRole, User, Workspace } from "@/db/schema";
import { startApiSession } from "@/lib/auth/api-sessions";

export interface TestAccount {
  user: User;
  workspace: Workspace;
  /** A valid bearer access token for the user. */
  token: string;
}

/** A user with their own workspace and an API access token; no password hashing (fast). */
export async function createAccount(overrides: { name?: string; email?: string; timezone?: string } = {}): Promise<TestAccount> {
  const db = getDb();
  const id = randomBytes(5).toString("hex");
  const user = await insertUser(db, {
    email: overrides.email ?? `user-${id}@example.com`,
    name: overrides.name ?? `User ${id}`,
    passwordHash: null,
  });
  if (!user) throw new Error("factory user insert failed");
  const workspace = await createWorkspace(db, { name: `Workspace ${id}`, ownerId: user.id, timezone: overrides.timezone });
  const { accessToken } = await startApiSession(db, user, { ip: "127.0.0.1", userAgent: "vitest" });
  return { user, workspace, token: accessToken };
}

/** Another user added to an existing workspace with the given role. */
export async function addTeammate(workspace: Workspace, role: MembershipRole): Promise<Omit<TestAccount, "workspace">> {
  const db = getDb();
  const id = randomBytes(5).toString("hex");
  const user = await insertUser(db, { email: `teammate-${id}@example.com`, name: `Teammate ${id}`, passwordHash: null });
  if (!user) throw new Error("factory user insert failed");
  await addMember(db, { workspaceId: workspace.id, userId: user.id, role });
  const { accessToken } = await startApiSession(db, user, { ip: "127.0.0.1", userAgent: "vitest" });
  return { user, token: accessToken };
}
