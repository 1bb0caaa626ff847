import { getDb } from "@/db/client";
import { withRoute } from "@/lib/api/with-route";
import { readMessage } from "@/lib/messaging/messages";
import { idParams } from "@/lib/validations/messaging";

// PATCH /api/messages/{id}/read – one incoming message read
export const PATCH = withRoute({ auth: "required", scope: "messages.read" }, async ({ params, user }) => {
  const { id } = idParams.parse(params);
  return Response.json({ message: await readMessage(getDb(), { userId: user.id, id }) });
});
