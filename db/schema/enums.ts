import { pgEnum } from "drizzle-orm/pg-core";

export const platformEnum = pgEnum("platform", ["instagram", "messenger", "whatsapp"]);
export const platformAccountStatusEnum = pgEnum("platform_account_status", ["active", "needs_reauth", "disconnected"]);
export const membershipRoleEnum = pgEnum("membership_role", ["owner", "admin", "agent"]);
export const messageDirectionEnum = pgEnum("message_direction", ["incoming", "outgoing"]);
export const messageTypeEnum = pgEnum("message_type", [
  "text",
  "image",
  "video",
  "audio",
  "file",
  "sticker",
  "location",
  "contact",
  "interactive",
  "share",
  "story_mention",
  "template",
  "unsupported",
]);
export const messageStatusEnum = pgEnum("message_status", ["received", "pending", "sent", "delivered", "read", "failed"]);
export const sentFromEnum = pgEnum("sent_from", ["chats", "native"]);
export const webhookEventStatusEnum = pgEnum("webhook_event_status", ["pending", "processed", "failed", "ignored", "rejected"]);

export type Platform = (typeof platformEnum.enumValues)[number];
export type MembershipRole = (typeof membershipRoleEnum.enumValues)[number];
export type MessageType = (typeof messageTypeEnum.enumValues)[number];
export type MessageStatus = (typeof messageStatusEnum.enumValues)[number];
export type MessageDirectionFilter = (typeof messageDirectionEnum.enumValues)[number];
