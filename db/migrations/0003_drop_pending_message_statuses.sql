-- Statuses that were waiting for their message move to the general table before the old one goes.
INSERT INTO "pending_message_events" ("platform_account_id", "external_id", "kind", "payload", "occurred_at", "created_at")
SELECT "platform_account_id", "external_id", 'status', jsonb_build_object('status', "status", 'error', "error"), "occurred_at", "created_at"
FROM "pending_message_statuses";--> statement-breakpoint
DROP TABLE "pending_message_statuses" CASCADE;
