import "server-only";
import { hash, verify } from "@node-rs/argon2";

// argon2id at OWASP's memory floor (19 MiB) with more passes (t=12): about 100 ms per hash on this
// 2-core class of machine. Extra passes rather than extra memory keep concurrent logins from
// costing 64 MiB each.
const options = { memoryCost: 19_456, timeCost: 12, parallelism: 1, outputLen: 32 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

let decoy: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. Without a hash (unknown email, Facebook-only account)
 * it still verifies against a decoy, so both cases take the same time and answer the same way.
 */
export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  decoy ??= hash("decoy-password-never-matches", options);
  const target = passwordHash ?? (await decoy);
  try {
    const ok = await verify(target, password);
    return ok && Boolean(passwordHash);
  } catch {
    return false;
  }
}
