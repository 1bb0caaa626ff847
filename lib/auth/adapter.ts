import "server-only";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import type { Adapter, AdapterUser } from "next-auth/adapters";
import { getDb } from "@/db/client";
import { findUserByEmail } from "@/db/queries/users";
import { createWorkspace } from "@/db/queries/workspaces";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import { personalWorkspaceName } from "@/lib/auth/accounts";

/**
 * The Drizzle adapter with three house rules: emails are lower-cased, a user created through
 * Facebook gets a personal workspace in the same transaction, and Facebook login tokens are not
 * kept (pages are connected through their own flow, with encrypted page tokens).
 */
export function chatsAdapter(): Adapter {
  const db = getDb();
  const base = DrizzleAdapter(db, {
    usersTable: users,
    accountsTable: accounts,
    sessionsTable: sessions,
    verificationTokensTable: verificationTokens,
  });
  return {
    ...base,
    async createUser(data) {
      const email = data.email.toLowerCase();
      return db.transaction(async (tx) => {
        const [user] = await tx
          .insert(users)
          .values({ email, name: data.name ?? null, image: data.image ?? null, emailVerified: data.emailVerified ?? null })
          .returning();
        if (!user) throw new Error("user insert returned nothing");
        await createWorkspace(tx, { name: personalWorkspaceName(user.name, user.email), ownerId: user.id });
        return user satisfies AdapterUser;
      });
    },
    async getUserByEmail(email) {
      return (await findUserByEmail(db, { email })) ?? null;
    },
    async linkAccount(account) {
      await base.linkAccount?.({ ...account, access_token: undefined, refresh_token: undefined, id_token: undefined });
    },
  };
}
