import "server-only";
import type { Executor } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { logger } from "@/lib/logger";

export type AuditAction =
  | "auth.sign_in_failed"
  | "auth.refresh_token_reused"
  | "auth.password_reset"
  | "platform.connected"
  | "platform.disconnected"
  | "security.tokens_reencrypted";

export interface AuditInput {
  action: AuditAction;
  workspaceId?: string | null;
  userId?: string | null;
  targetType?: string;
  targetId?: string;
  client?: { ip?: string | null; userAgent?: string | null };
  details?: Record<string, unknown>;
}

/** Records a security event. Never fails the action it describes: a lost audit row is logged instead. */
export async function recordAudit(db: Executor, input: AuditInput): Promise<void> {
  try {
    await db.insert(auditEvents).values({
      action: input.action,
      workspaceId: input.workspaceId ?? null,
      userId: input.userId ?? null,
      targetType: input.targetType ?? null,
      targetId: input.targetId ?? null,
      ip: input.client?.ip ?? null,
      userAgent: input.client?.userAgent?.slice(0, 300) ?? null,
      details: input.details ?? {},
    });
  } catch (error) {
    logger.warn({ err: error, scope: "audit", action: input.action }, "audit event not recorded");
  }
}
