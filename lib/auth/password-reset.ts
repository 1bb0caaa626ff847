import "server-only";
import type { Database } from "@/db/client";
import { expireOpenResets, insertPasswordReset, spendPasswordReset } from "@/db/queries/password-resets";
import { revokeAllForUser } from "@/db/queries/refresh-tokens";
import { findUserByEmail, revokeBrowserSessions, updatePasswordHash } from "@/db/queries/users";
import { recordAudit } from "@/lib/audit/record";
import { hashPassword } from "@/lib/auth/password";
import { opaqueToken, sha256 } from "@/lib/auth/tokens";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { sendMail } from "@/lib/mail/send";

export const RESET_TTL_MINUTES = 30;

/** Mails a single-use reset link if the account exists; says nothing either way (no enumeration). */
export async function requestPasswordReset(db: Database, params: { email: string }): Promise<void> {
  const user = await findUserByEmail(db, { email: params.email });
  if (!user) return;
  const token = opaqueToken("pr");
  await db.transaction(async (tx) => {
    await expireOpenResets(tx, { userId: user.id });
    await insertPasswordReset(tx, {
      userId: user.id,
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + RESET_TTL_MINUTES * 60_000),
    });
  });
  const link = new URL("/reset-password", env.APP_URL);
  link.searchParams.set("token", token);
  await sendMail({
    to: user.email,
    subject: "Reset your Chats password",
    text: [
      `Hello${user.name ? ` ${user.name}` : ""},`,
      "",
      "Someone asked to reset the password of your Chats account. If it was you, open this link within",
      `${RESET_TTL_MINUTES} minutes to choose a new password (it works once):`,
      "",
      link.toString(),
      "",
      "If it was not you, ignore this mail: your password stays as it is.",
    ].join("\n"),
  });
}

/** Sets a new password with a reset token and signs the user out everywhere (API and browser). */
export async function resetPassword(db: Database, params: { token: string; password: string }): Promise<void> {
  const passwordHash = await hashPassword(params.password);
  await db.transaction(async (tx) => {
    const spent = await spendPasswordReset(tx, { tokenHash: sha256(params.token) });
    if (!spent) throw new AppError("invalid_token", "This reset link is invalid, expired or already used. Ask for a new one.");
    await updatePasswordHash(tx, { userId: spent.userId, passwordHash });
    await revokeAllForUser(tx, { userId: spent.userId });
    await revokeBrowserSessions(tx, { userId: spent.userId });
    await recordAudit(tx, { action: "auth.password_reset", userId: spent.userId });
  });
}
