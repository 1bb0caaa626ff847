import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { memberships, users, workspaces, type MembershipRole, type User } from "@/db/schema";

export async function findUserByEmail(db: Executor, params: { email: string }): Promise<User | undefined> {
  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${params.email})`)
    .limit(1);
  return user;
}

export async function findUserById(db: Executor, params: { userId: string }): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, params.userId)).limit(1);
  return user;
}

/** Inserts a user unless the email is taken; returns undefined on conflict instead of throwing. */
export async function insertUser(
  db: Executor,
  params: { email: string; name: string | null; passwordHash: string | null; image?: string | null },
): Promise<User | undefined> {
  const [user] = await db
    .insert(users)
    .values({
      email: params.email.toLowerCase(),
      name: params.name,
      passwordHash: params.passwordHash,
      image: params.image ?? null,
    })
    .onConflictDoNothing()
    .returning();
  return user;
}

export async function updatePasswordHash(db: Executor, params: { userId: string; passwordHash: string }): Promise<void> {
  await db.update(users).set({ passwordHash: params.passwordHash }).where(eq(users.id, params.userId));
}

/** Voids every browser session issued until now (session cookies carry their issue time). */
export async function revokeBrowserSessions(db: Executor, params: { userId: string }): Promise<void> {
  await db
    .update(users)
    .set({ sessionsRevokedAt: sql`now()` })
    .where(eq(users.id, params.userId));
}

export interface WorkspaceMembership {
  id: string;
  name: string;
  role: MembershipRole;
  timezone: string;
}

/** The caller's workspaces, oldest membership first (the first is their default). */
export async function listUserWorkspaces(db: Executor, params: { userId: string }): Promise<WorkspaceMembership[]> {
  return db
    .select({ id: workspaces.id, name: workspaces.name, role: memberships.role, timezone: workspaces.timezone })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, params.userId))
    .orderBy(asc(memberships.createdAt), asc(workspaces.id));
}
