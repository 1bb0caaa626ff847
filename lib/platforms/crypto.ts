import "server-only";
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

// Platform tokens at rest: AES-256-GCM under a key ring (TOKEN_ENCRYPTION_KEY, comma-separated).
// The first key encrypts; every key decrypts, found by the key id stored with the ciphertext, so
// keys rotate without downtime: add the new key first, re-encrypt, then drop the old one.

const VERSION = "v1";

export class TokenDecryptionError extends Error {
  override name = "TokenDecryptionError";
}

export function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

function ring(keys: readonly Buffer[] = env.TOKEN_ENCRYPTION_KEY): { id: string; key: Buffer }[] {
  return keys.map((key) => ({ id: keyId(key), key }));
}

export function encryptToken(plaintext: string, keys?: readonly Buffer[]): string {
  const [primary] = ring(keys);
  if (!primary) throw new Error("TOKEN_ENCRYPTION_KEY holds no key");
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", primary.key, iv);
  // The key id is authenticated too: a ciphertext cannot be passed off under another key's id.
  cipher.setAAD(Buffer.from(`${VERSION}.${primary.id}`));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [
    VERSION,
    primary.id,
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    ciphertext.toString("base64url"),
  ].join(".");
}

export function decryptToken(sealed: string, keys?: readonly Buffer[]): string {
  const [version, id, iv, tag, ciphertext] = sealed.split(".");
  if (version !== VERSION || !id || !iv || !tag || ciphertext === undefined) throw new TokenDecryptionError("not a sealed token");
  const entry = ring(keys).find((candidate) => candidate.id === id);
  if (!entry) throw new TokenDecryptionError(`no key with id ${id} in TOKEN_ENCRYPTION_KEY`);
  try {
    const decipher = createDecipheriv("aes-256-gcm", entry.key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(`${VERSION}.${id}`));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch (cause) {
    throw new TokenDecryptionError("token ciphertext failed authentication", { cause });
  }
}

/** True when the ciphertext is not under the current primary key (a rotation is pending for it). */
export function needsReencryption(sealed: string, keys?: readonly Buffer[]): boolean {
  const [primary] = ring(keys);
  return sealed.split(".")[1] !== primary?.id;
}
