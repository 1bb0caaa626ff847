import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { findUserById, listUserWorkspaces, type WorkspaceMembership } from "@/db/queries/users";
import type { User } from "@/db/schema";
import { auth } from "@/lib/auth";
import { sessionStillValid } from "@/lib/auth/request-user";

export const WORKSPACE_COOKIE = "chats.workspace";

/** The signed-in user of this browser request, checked against the database; cached per request. */
export const getCurrentUser = cache(async (): Promise<User | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  const user = await findUserById(getDb(), { userId });
  return user && sessionStillValid(user, session.authTime) ? user : null;
});

/** For pages behind sign-in: the user, or a redirect to /login. */
export async function requireUser(next?: string): Promise<User> {
  const user = await getCurrentUser();
  if (!user) redirect(next ? `/login?next=${encodeURIComponent(next)}` : "/login");
  return user;
}

/** The workspace the browser is working in: the one remembered in a cookie, else the first. */
export const getCurrentWorkspace = cache(
  async (userId: string): Promise<{ current: WorkspaceMembership; all: WorkspaceMembership[] }> => {
    const all = await listUserWorkspaces(getDb(), { userId });
    const remembered = (await cookies()).get(WORKSPACE_COOKIE)?.value;
    const current = all.find((workspace) => workspace.id === remembered) ?? all[0];
    if (!current) throw new Error(`user ${userId} has no workspace`);
    return { current, all };
  },
);

/** Only same-site paths may be a post-login destination (no open redirects). */
export function safeNextPath(value: unknown, fallback = "/inbox"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  if (value.startsWith("/login") || value.startsWith("/register") || value.startsWith("/api/")) return fallback;
  return value;
}
