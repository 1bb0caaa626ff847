import "server-only";
import { z } from "zod";
import type { Database } from "@/db/client";
import { listAuditEvents } from "@/db/queries/audit";
import { decodeCursor, encodeCursor, pageOf } from "@/lib/api/pagination";
import { resolveWorkspace } from "@/lib/auth/workspace-access";

export interface AuditEventDto {
  id: string;
  action: string;
  userId: string | null;
  userEmail: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}

const auditCursor = z.object({ p: z.string().max(64), id: z.uuid() });

/** The audit trail of a workspace, for its owners only (403 for other members, 404 for strangers). */
export async function listAuditPage(
  db: Database,
  params: { userId: string; workspaceId?: string; cursor?: string; limit: number },
): Promise<{ events: AuditEventDto[]; nextCursor: string | null }> {
  const workspace = await resolveWorkspace(db, { userId: params.userId, workspaceId: params.workspaceId, minimumRole: "owner" });
  const before = decodeCursor(params.cursor, auditCursor);
  const rows = await listAuditEvents(db, {
    workspaceId: workspace.id,
    limit: params.limit + 1,
    before: before && { position: before.p, id: before.id },
  });
  const page = pageOf(rows, params.limit, (last) => encodeCursor({ p: last.position, id: last.id }));
  return {
    events: page.items.map((row) => ({
      id: row.id,
      action: row.action,
      userId: row.userId,
      userEmail: row.userEmail,
      targetType: row.targetType,
      targetId: row.targetId,
      ip: row.ip,
      userAgent: row.userAgent,
      details: row.details,
      createdAt: row.createdAt.toISOString(),
    })),
    nextCursor: page.nextCursor,
  };
}
