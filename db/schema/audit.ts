import { index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { createdAt, id } from "./columns";
import { workspaces } from "./workspaces";

/**
 * Security-relevant events (sign-in failures, refresh-token reuse, connects, disconnects, key
 * rotation), kept for workspace owners to review. `workspaceId` is null for account-level events;
 * owners see those of their workspace's members.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: id(),
    workspaceId: uuid().references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid().references(() => users.id, { onDelete: "set null" }),
    action: text().notNull(),
    targetType: text(),
    targetId: text(),
    ip: text(),
    userAgent: text(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_events_workspace_idx").on(t.workspaceId, t.createdAt.desc()),
    index("audit_events_user_idx").on(t.userId, t.createdAt.desc()),
  ],
);

export type AuditEvent = typeof auditEvents.$inferSelect;
