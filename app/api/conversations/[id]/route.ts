import { getDb } from "@/db/client";
import { readJson } from "@/lib/api/input";
import { withRoute } from "@/lib/api/with-route";
import { archiveConversation, getConversation } from "@/lib/messaging/conversations";
import { idParams, patchConversationBody } from "@/lib/validations/messaging";

// GET /api/conversations/{id} – one conversation
export const GET = withRoute({ auth: "required", scope: "conversations.get" }, async ({ params, user }) => {
  const { id } = idParams.parse(params);
  return Response.json({ conversation: await getConversation(getDb(), { userId: user.id, id }) });
});

// PATCH /api/conversations/{id} – archive or unarchive
export const PATCH = withRoute({ auth: "required", scope: "conversations.archive" }, async ({ req, params, user }) => {
  const { id } = idParams.parse(params);
  const { isArchived } = await readJson(req, patchConversationBody);
  return Response.json({ conversation: await archiveConversation(getDb(), { userId: user.id, id, isArchived }) });
});
