import "server-only";
import type { Database } from "@/db/client";
import { findUserByEmail, insertUser } from "@/db/queries/users";
import { createWorkspace } from "@/db/queries/workspaces";
import type { User } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";

// The demo account of `npm run dev` (never created in production): the README shows these.
export const DEMO_EMAIL = "demo@chats.local";
export const DEMO_PASSWORD = "chats-demo";
export const DEMO_WORKSPACE = "Acme Coffee";

/** Creates the demo user and workspace once; later starts find them and change nothing. */
export async function ensureDemoAccount(db: Database): Promise<{ user: User; created: boolean }> {
  const existing = await findUserByEmail(db, { email: DEMO_EMAIL });
  if (existing) return { user: existing, created: false };
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction(async (tx) => {
    const user = await insertUser(tx, { email: DEMO_EMAIL, name: "Demo Agent", passwordHash });
    if (!user) throw new Error("demo user insert raced with another start; restart to retry");
    await createWorkspace(tx, { name: DEMO_WORKSPACE, ownerId: user.id });
    return { user, created: true };
  });
}
