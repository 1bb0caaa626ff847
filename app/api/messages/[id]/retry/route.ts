import { getDb } from "@/db/client";
import { withRoute } from "@/lib/api/with-route";
import { retryMessage } from "@/lib/messaging/send";
import { idParams } from "@/lib/validations/messaging";

// POST /api/messages/{id}/retry – send a failed message again
export const POST = withRoute({ auth: "required", scope: "messages.retry" }, async ({ params, user, log }) => {
  const { id } = idParams.parse(params);
  return Response.json({ message: await retryMessage(getDb(), { userId: user.id, id, log }) }, { status: 201 });
});
