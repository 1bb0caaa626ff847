import { getDb } from "@/db/client";
import { withRoute } from "@/lib/api/with-route";
import { readConversation } from "@/lib/messaging/conversations";
import { idParams } from "@/lib/validations/messaging";

// POST /api/conversations/{id}/read – all incoming messages read; the platform is told in the background
export const POST = withRoute({ auth: "required", scope: "conversations.read" }, async ({ params, user }) => {
  const { id } = idParams.parse(params);
  return Response.json({ conversation: await readConversation(getDb(), { userId: user.id, id }) });
});
