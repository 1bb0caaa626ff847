import { createHash, randomBytes } from "node:crypto";
import type { Platform } from "./fixture";

// Id formats modelled on what Meta hands out: Messenger mids "m_…", Instagram mids base64 "aWdf…",
// WhatsApp "wamid.…", Messenger thread ids "t_…". History ids hash a stable seed, so re-imports match.

const digest = (seed: string) => createHash("sha256").update(seed).digest();

/** A numeric id of `length` digits derived from `seed` (never starts with 0). */
export function digitsFrom(seed: string, length = 16): string {
  let digits = "";
  let round = 0;
  while (digits.length < length) digits += BigInt(`0x${digest(`${seed}#${round++}`).toString("hex")}`).toString(10);
  return `${(Number(digits[0]) % 9) + 1}${digits.slice(1, length)}`;
}

export function messageIdFrom(platform: Platform, seed: string): string {
  const hash = digest(`message:${seed}`);
  if (platform === "messenger") return `m_${hash.toString("base64url").slice(0, 40)}`;
  if (platform === "instagram") return `aWdfZAG1faXRlbToxOklHTWVzc2FnZAU${hash.toString("base64url").slice(0, 40)}`;
  return `wamid.${Buffer.from(`HBgL${hash.toString("hex").slice(0, 24).toUpperCase()}FQIAEhgg`).toString("base64")}`;
}

export function conversationIdFrom(platform: Platform, accountId: string, customerId: string): string {
  const seed = `conversation:${platform}:${accountId}:${customerId}`;
  if (platform === "messenger") return `t_${digitsFrom(seed, 16)}`;
  if (platform === "instagram") return `aWdfZAG06${digest(seed).toString("base64url").slice(0, 48)}`;
  return `wa_${digitsFrom(seed, 16)}`;
}

/** A fresh seed for live (non-fixture) objects: unique per call. */
export function liveSeed(): string {
  return `${Date.now()}:${randomBytes(9).toString("base64url")}`;
}
