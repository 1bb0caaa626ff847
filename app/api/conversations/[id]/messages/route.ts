import { getDb } from "@/db/client";
import { readQuery } from "@/lib/api/input";
import { withRoute } from "@/lib/api/with-route";
import { listThreadPage } from "@/lib/messaging/messages";
import { conversationMessagesQuery, idParams } from "@/lib/validations/messaging";

// GET /api/conversations/{id}/messages – the thread, newest first, cursor-paginated
export const GET = withRoute({ auth: "required", scope: "conversations.messages" }, async ({ req, params, user }) => {
  const { id } = idParams.parse(params);
  const { cursor, limit } = readQuery(req, conversationMessagesQuery);
  return Response.json(await listThreadPage(getDb(), { userId: user.id, conversationId: id, cursor, limit }));
});
