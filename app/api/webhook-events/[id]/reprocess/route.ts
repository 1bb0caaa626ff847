import { getDb } from "@/db/client";
import { withRoute } from "@/lib/api/with-route";
import { reprocessWebhookEvent } from "@/lib/webhooks/events-admin";
import { webhookEventIdParams } from "@/lib/validations/webhook-events";

// POST /api/webhook-events/{id}/reprocess – process a stored delivery again (owners and admins; idempotent)
export const POST = withRoute({ auth: "required", scope: "webhook-events.reprocess" }, async ({ params, user, log }) => {
  const { id } = webhookEventIdParams.parse(params);
  return Response.json({ event: await reprocessWebhookEvent(getDb(), { userId: user.id, id, log }) });
});
