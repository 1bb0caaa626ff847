import "server-only";
import type { Database } from "@/db/client";
import { listAllWithTokens, updateTokenCiphertext } from "@/db/queries/platform-accounts";
import { recordAudit } from "@/lib/audit/record";
import { decryptToken, encryptToken, needsReencryption } from "@/lib/platforms/crypto";

/**
 * Re-encrypts every stored platform token under the first key of TOKEN_ENCRYPTION_KEY. Run after
 * putting a new key first; once it reports nothing left, the old key can be removed from the ring.
 */
export async function reencryptTokens(db: Database, keys?: readonly Buffer[]): Promise<{ reencrypted: number; current: number }> {
  let reencrypted = 0;
  let current = 0;
  const perWorkspace = new Map<string, number>();
  for (const row of await listAllWithTokens(db)) {
    if (!row.accessTokenCiphertext) continue;
    if (!needsReencryption(row.accessTokenCiphertext, keys)) {
      current += 1;
      continue;
    }
    const plaintext = decryptToken(row.accessTokenCiphertext, keys);
    await updateTokenCiphertext(db, { id: row.id, ciphertext: encryptToken(plaintext, keys) });
    reencrypted += 1;
    perWorkspace.set(row.workspaceId, (perWorkspace.get(row.workspaceId) ?? 0) + 1);
  }
  for (const [workspaceId, count] of perWorkspace) {
    await recordAudit(db, { action: "security.tokens_reencrypted", workspaceId, details: { tokens: count } });
  }
  return { reencrypted, current };
}
