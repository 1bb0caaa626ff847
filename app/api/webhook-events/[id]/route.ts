import { getDb } from "@/db/client";
import { withRoute } from "@/lib/api/with-route";
import { getWebhookEvent } from "@/lib/webhooks/events-admin";
import { webhookEventIdParams } from "@/lib/validations/webhook-events";

// GET /api/webhook-events/{id} – one stored delivery with its raw body as received
export const GET = withRoute({ auth: "required", scope: "webhook-events.get" }, async ({ params, user }) => {
  const { id } = webhookEventIdParams.parse(params);
  return Response.json({ event: await getWebhookEvent(getDb(), { userId: user.id, id }) });
});
