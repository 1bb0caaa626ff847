import { bigserial, index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { bytea, createdAt } from "./columns";
import { workspaces } from "./workspaces";

// @socket.io/postgres-adapter stores payloads too big for NOTIFY (8 kB) here; the table name is its default.
export const socketIoAttachments = pgTable("socket_io_attachments", {
  id: bigserial({ mode: "bigint" }).primaryKey(),
  createdAt: createdAt(),
  payload: bytea(),
});

/**
 * The realtime outbox: every event pushed to browsers is first written here in the same transaction
 * as the change it announces. Its id is the cursor a reconnecting client resumes from, so a dropped
 * socket (or a restarted sidecar) loses nothing.
 */
export const realtimeEvents = pgTable(
  "realtime_events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    conversationId: uuid(),
    type: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("realtime_events_workspace_cursor_idx").on(t.workspaceId, t.id),
    index("realtime_events_created_at_idx").on(t.createdAt),
  ],
);

export type RealtimeEventRow = typeof realtimeEvents.$inferSelect;
