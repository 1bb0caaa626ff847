import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { rateLimits } from "@/db/schema";

/** Counts one hit in a fixed window and returns the window's count and end; one round trip. */
export async function hitRateLimit(
  db: Executor,
  params: { key: string; windowSeconds: number },
): Promise<{ count: number; resetAt: Date }> {
  const window = sql`make_interval(secs => ${params.windowSeconds})`;
  const [row] = await db
    .insert(rateLimits)
    .values({ key: params.key, count: 1, resetAt: sql`now() + ${window}` })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${rateLimits.resetAt} <= now() then 1 else ${rateLimits.count} + 1 end`,
        resetAt: sql`case when ${rateLimits.resetAt} <= now() then now() + ${window} else ${rateLimits.resetAt} end`,
      },
    })
    .returning({ count: rateLimits.count, resetAt: rateLimits.resetAt });
  if (!row) throw new Error("rate limit upsert returned nothing");
  return row;
}

export async function deleteExpiredRateLimits(db: Executor): Promise<number> {
  const rows = await db
    .delete(rateLimits)
    .where(sql`${rateLimits.resetAt} < now() - interval '1 hour'`)
    .returning({ key: rateLimits.key });
  return rows.length;
}
