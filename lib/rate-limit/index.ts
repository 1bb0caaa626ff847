import "server-only";
import { createHash } from "node:crypto";
import type { Executor } from "@/db/client";
import { deleteExpiredRateLimits, hitRateLimit } from "@/db/queries/rate-limits";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

// Fixed-window limits kept in Postgres so every app instance counts against the same numbers.

export interface RateRule {
  name: string;
  limit: number;
  windowSeconds: number;
}

export const rateRules = {
  loginPerIp: { name: "login:ip", limit: 30, windowSeconds: 60 },
  loginPerEmail: { name: "login:email", limit: 10, windowSeconds: 600 },
  registerPerIp: { name: "register:ip", limit: 20, windowSeconds: 600 },
  registerPerEmail: { name: "register:email", limit: 5, windowSeconds: 3600 },
  refreshPerIp: { name: "refresh:ip", limit: 120, windowSeconds: 60 },
  forgotPerIp: { name: "forgot:ip", limit: 10, windowSeconds: 600 },
  forgotPerEmail: { name: "forgot:email", limit: 3, windowSeconds: 3600 },
  resetPerIp: { name: "reset:ip", limit: 20, windowSeconds: 600 },
  /** Every authenticated API call: generous for people and integrations, a wall for runaway scripts. */
  apiPerUser: { name: "api:user", limit: 1200, windowSeconds: 60 },
} satisfies Record<string, RateRule>;

export interface RateCheck {
  rule: RateRule;
  /** Who is counted: an IP, an email, a user id. Hashed, so emails are not stored in clear. */
  subject: string;
}

function keyOf(check: RateCheck): string {
  const digest = createHash("sha256").update(check.subject.toLowerCase()).digest("base64url").slice(0, 24);
  return `${check.rule.name}:${digest}`;
}

/** Counts a hit against every check; throws 429 with Retry-After once any limit is exceeded. */
export async function enforceRateLimits(db: Executor, checks: RateCheck[]): Promise<void> {
  let retryAfter = 0;
  for (const check of checks) {
    const { count, resetAt } = await hitRateLimit(db, { key: keyOf(check), windowSeconds: check.rule.windowSeconds });
    if (count > Math.ceil(check.rule.limit * env.RATE_LIMIT_SCALE)) {
      retryAfter = Math.max(retryAfter, Math.ceil((resetAt.getTime() - Date.now()) / 1000), 1);
    }
  }
  // Old windows are dead weight; sweeping on a small share of requests keeps the table short.
  if (Math.random() < 0.01) await deleteExpiredRateLimits(db);
  if (retryAfter > 0) {
    throw new AppError("rate_limited", `Too many attempts. Try again in ${retryAfter} seconds.`, {
      headers: { "Retry-After": String(retryAfter) },
      details: { retryAfter },
    });
  }
}

/** The client's address as the nearest proxy reports it; "unknown" when nothing says. */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip")?.trim() || "unknown";
}
