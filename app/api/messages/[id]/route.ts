import { getDb } from "@/db/client";
import { withRoute } from "@/lib/api/with-route";
import { getMessage } from "@/lib/messaging/messages";
import { idParams } from "@/lib/validations/messaging";

// GET /api/messages/{id} – one message
export const GET = withRoute({ auth: "required", scope: "messages.get" }, async ({ params, user }) => {
  const { id } = idParams.parse(params);
  return Response.json({ message: await getMessage(getDb(), { userId: user.id, id }) });
});
