import { getDb } from "@/db/client";
import { readQuery } from "@/lib/api/input";
import { withRoute } from "@/lib/api/with-route";
import { listWebhookEventPage } from "@/lib/webhooks/events-admin";
import { listWebhookEventsQuery } from "@/lib/validations/webhook-events";

// GET /api/webhook-events – stored deliveries from Meta routed to the caller's workspaces, newest first
export const GET = withRoute({ auth: "required", scope: "webhook-events.list" }, async ({ req, user }) => {
  const query = readQuery(req, listWebhookEventsQuery);
  return Response.json(await listWebhookEventPage(getDb(), { userId: user.id, query }));
});
