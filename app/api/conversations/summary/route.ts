import { getDb } from "@/db/client";
import { readQuery } from "@/lib/api/input";
import { withRoute } from "@/lib/api/with-route";
import { conversationSummary } from "@/lib/messaging/conversations";
import { summaryQuery } from "@/lib/validations/messaging";

// GET /api/conversations/summary – conversations and unread counts per platform (inbox selector)
export const GET = withRoute({ auth: "required", scope: "conversations.summary" }, async ({ req, user }) => {
  const { workspaceId } = readQuery(req, summaryQuery);
  return Response.json(await conversationSummary(getDb(), { userId: user.id, workspaceId }));
});
