import "server-only";
import type { Database } from "@/db/client";
import { markNeedsReauth } from "@/db/queries/platform-accounts";
import type { PlatformAccount } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { decryptToken } from "@/lib/platforms/crypto";
import { GraphError } from "@/lib/platforms/meta/graph";

export function accountToken(account: PlatformAccount): string {
  if (!account.accessTokenCiphertext || account.status === "disconnected") {
    throw new AppError("platform_rejected", `${account.name} is not connected; reconnect it in Settings → Platforms.`);
  }
  return decryptToken(account.accessTokenCiphertext);
}

/**
 * Runs a Graph call with the account's token. When Meta says the token is no longer valid (190),
 * the account is marked needs_reauth at once, so the UI can offer Reconnect, and the error goes on.
 */
export async function withAccountToken<T>(
  db: Database,
  account: PlatformAccount,
  call: (token: string) => Promise<T>,
): Promise<T> {
  try {
    return await call(accountToken(account));
  } catch (error) {
    if (error instanceof GraphError && error.kind === "token") {
      const marked = await markNeedsReauth(db, { id: account.id, reason: `Meta refused the access token: ${error.message}` });
      if (marked)
        logger.warn(
          { scope: "platforms", platformAccountId: account.id, code: error.code },
          "platform token refused; marked needs_reauth",
        );
    }
    throw error;
  }
}

/** Meta's refusal as the contract's error: 422 for a final no, 502 when Meta is (for now) unavailable. */
export function graphFailure(error: unknown, what: string): AppError | unknown {
  if (!(error instanceof GraphError)) return error;
  if (error.transient)
    return new AppError(
      "platform_unavailable",
      `${what}: Meta is not answering right now (${error.message}). Try again shortly.`,
      { cause: error },
    );
  return new AppError("platform_rejected", `${what}: ${error.message}`, {
    cause: error,
    details: { platformCode: error.code, platformSubcode: error.subcode },
  });
}
