import "server-only";
import { and, eq, isNull, or, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { auditEvents, memberships, users, type AuditEvent } from "@/db/schema";
import { newestFirst } from "@/db/queries/order";

export type AuditRow = AuditEvent & { userEmail: string | null; position: string };

/** A workspace's events, plus account-level events (sign-in failures…) of its members; newest first. */
export async function listAuditEvents(
  db: Executor,
  params: { workspaceId: string; limit: number; before?: { position: string; id: string } },
): Promise<AuditRow[]> {
  const members = sql`(select ${memberships.userId} from ${memberships} where ${memberships.workspaceId} = ${params.workspaceId})`;
  const rows = await db
    .select({ event: auditEvents, userEmail: users.email, position: sql<string>`${auditEvents.createdAt}::text` })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.userId))
    .where(
      and(
        or(
          eq(auditEvents.workspaceId, params.workspaceId),
          and(isNull(auditEvents.workspaceId), sql`${auditEvents.userId} in ${members}`),
        ),
        params.before
          ? sql`(${auditEvents.createdAt}, ${auditEvents.id}) < (${params.before.position}::timestamptz, ${params.before.id})`
          : undefined,
      ),
    )
    .orderBy(newestFirst(auditEvents.createdAt), newestFirst(auditEvents.id))
    .limit(params.limit);
  return rows.map((row) => ({ ...row.event, userEmail: row.userEmail, position: row.position }));
}
