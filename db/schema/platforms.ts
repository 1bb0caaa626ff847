import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { createdAt, id, timestamptz, updatedAt } from "./columns";
import { platformAccountStatusEnum, platformEnum } from "./enums";
import { workspaces } from "./workspaces";

/** A connected Facebook page (Messenger), Instagram professional account or WhatsApp number. */
export const platformAccounts = pgTable(
  "platform_accounts",
  {
    id: id(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    platform: platformEnum().notNull(),
    // Page id, Instagram account id or WhatsApp phone_number_id: what webhooks are routed by.
    externalId: text().notNull(),
    name: text().notNull(),
    username: text(),
    pictureUrl: text(),
    // Instagram accounts are reached through their linked page; WhatsApp numbers belong to a WABA.
    pageId: text(),
    businessAccountId: text(),
    // AES-256-GCM ciphertext (lib/platforms/crypto); never leaves the server in any response.
    accessTokenCiphertext: text(),
    tokenExpiresAt: timestamptz(),
    status: platformAccountStatusEnum().notNull().default("active"),
    statusReason: text(),
    connectedByUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    connectedAt: timestamptz().notNull().defaultNow(),
    lastSyncedAt: timestamptz(),
    syncCursor: jsonb().$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("platform_accounts_workspace_external_unique").on(t.workspaceId, t.platform, t.externalId),
    // One live connection per page/account across all workspaces: webhooks must route to exactly one.
    uniqueIndex("platform_accounts_live_external_unique")
      .on(t.platform, t.externalId)
      .where(sql`${t.status} <> 'disconnected'`),
    index("platform_accounts_workspace_idx").on(t.workspaceId),
  ],
);

export type PlatformAccount = typeof platformAccounts.$inferSelect;
export type NewPlatformAccount = typeof platformAccounts.$inferInsert;
