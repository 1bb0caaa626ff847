import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Checks Meta's `X-Hub-Signature-256: sha256=<hex>` over the raw body bytes exactly as received
 * (Meta signs its own escaped serialization; a re-serialized body would fail on every accent or
 * emoji). Constant time; any of `secrets` may have signed it (Instagram may use its own app secret).
 */
export function verifySignature(rawBody: Buffer, header: string | null, secrets: readonly string[]): boolean {
  const match = header ? /^sha256=([0-9a-f]{64})$/i.exec(header.trim()) : null;
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1].toLowerCase(), "hex");
  let ok = false;
  for (const secret of new Set(secrets)) {
    const expected = createHmac("sha256", secret).update(rawBody).digest();
    // No early exit: every secret is checked so timing does not reveal which one matched.
    ok = timingSafeEqual(expected, given) || ok;
  }
  return ok;
}

/** Meta's subscription handshake: the challenge is echoed only for our verify token. */
export function verifySubscription(params: URLSearchParams, verifyToken: string): string | null {
  const token = params.get("hub.verify_token") ?? "";
  const expected = Buffer.from(verifyToken);
  const given = Buffer.from(token);
  const tokenOk = given.length === expected.length && timingSafeEqual(given, expected);
  if (params.get("hub.mode") !== "subscribe" || !tokenOk) return null;
  return params.get("hub.challenge") ?? "";
}
