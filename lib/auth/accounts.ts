import "server-only";
import type { Database } from "@/db/client";
import { findUserByEmail, insertUser, listUserWorkspaces, type WorkspaceMembership } from "@/db/queries/users";
import { createWorkspace } from "@/db/queries/workspaces";
import type { User } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { AppError } from "@/lib/errors";
import type { LoginInput, RegisterInput } from "@/lib/validations/auth";

export interface PublicUser {
  id: string;
  email: string;
  name: string | null;
  image: string | null;
  createdAt: string;
}

/** The only shape a user leaves the server in: never the password hash. */
export function toPublicUser(user: User): PublicUser {
  return { id: user.id, email: user.email, name: user.name, image: user.image, createdAt: user.createdAt.toISOString() };
}

export function personalWorkspaceName(name: string | null, email: string): string {
  const who = name?.trim() || email.split("@")[0] || "My";
  return `${who}'s workspace`;
}

/** Creates the user and their personal workspace (owner) together, or neither. */
export async function registerUser(db: Database, input: RegisterInput): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const user = await insertUser(tx, { email: input.email, name: input.name, passwordHash });
    if (!user) throw new AppError("email_taken", "An account with this email already exists.");
    await createWorkspace(tx, { name: personalWorkspaceName(input.name, input.email), ownerId: user.id });
    return user;
  });
}

/**
 * Checks an email and password. Unknown emails, accounts without a password and wrong passwords all
 * fail the same way after the same amount of work, so the answer reveals nothing about the account.
 */
export async function authenticate(
  db: Database,
  input: LoginInput,
  context: { via: "api" | "browser"; client?: { ip?: string | null; userAgent?: string | null } } = { via: "api" },
): Promise<User> {
  const user = await findUserByEmail(db, { email: input.email });
  const ok = await verifyPassword(user?.passwordHash, input.password);
  if (!user || !ok) {
    await recordAudit(db, {
      action: "auth.sign_in_failed",
      userId: user?.id ?? null,
      client: context.client,
      details: { via: context.via, knownEmail: Boolean(user) },
    });
    throw new AppError("invalid_credentials", "The email or password is incorrect.");
  }
  return user;
}

export interface Me extends PublicUser {
  workspaces: { id: string; name: string; role: WorkspaceMembership["role"] }[];
}

export async function describeUser(db: Database, user: User): Promise<Me> {
  const workspaces = await listUserWorkspaces(db, { userId: user.id });
  return { ...toPublicUser(user), workspaces: workspaces.map(({ id, name, role }) => ({ id, name, role })) };
}
