import { date, integer, jsonb, pgTable, primaryKey, uuid } from "drizzle-orm/pg-core";
import { updatedAt } from "./columns";
import { platformEnum } from "./enums";
import { workspaces } from "./workspaces";

/** Closed days per (workspace, local date, platform), kept by the roll-up function; today is computed live. */
export const analyticsDaily = pgTable(
  "analytics_daily",
  {
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    date: date({ mode: "string" }).notNull(),
    platform: platformEnum().notNull(),
    incoming: integer().notNull().default(0),
    outgoing: integer().notNull().default(0),
    conversations: integer().notNull().default(0),
    newConversations: integer().notNull().default(0),
    // Raw response-time samples (seconds) so percentiles over any range stay exact.
    firstResponseSeconds: jsonb().$type<number[]>().notNull().default([]),
    replySeconds: jsonb().$type<number[]>().notNull().default([]),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.date, t.platform] })],
);

export type AnalyticsDay = typeof analyticsDaily.$inferSelect;
