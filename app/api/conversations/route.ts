import { getDb } from "@/db/client";
import { readQuery } from "@/lib/api/input";
import { withRoute } from "@/lib/api/with-route";
import { listConversationPage } from "@/lib/messaging/conversations";
import { listConversationsQuery } from "@/lib/validations/messaging";

// GET /api/conversations – newest activity first, filtered, cursor-paginated
export const GET = withRoute({ auth: "required", scope: "conversations.list" }, async ({ req, user }) => {
  const query = readQuery(req, listConversationsQuery);
  return Response.json(await listConversationPage(getDb(), { userId: user.id, query }));
});
