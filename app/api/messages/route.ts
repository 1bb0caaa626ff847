import { getDb } from "@/db/client";
import { readJson, readQuery } from "@/lib/api/input";
import { withRoute } from "@/lib/api/with-route";
import { searchMessagePage } from "@/lib/messaging/messages";
import { sendMessage } from "@/lib/messaging/send";
import { searchMessagesQuery, sendMessageBody } from "@/lib/validations/messaging";

// GET /api/messages – messages across conversations with filters; `q` is ranked full-text search
export const GET = withRoute({ auth: "required", scope: "messages.search" }, async ({ req, user }) => {
  const query = readQuery(req, searchMessagesQuery);
  return Response.json(await searchMessagePage(getDb(), { userId: user.id, query }));
});

// POST /api/messages – send text, an attachment by URL or a WhatsApp template; 201 once the platform accepted it
export const POST = withRoute({ auth: "required", scope: "messages.send" }, async ({ req, user, log }) => {
  const input = await readJson(req, sendMessageBody);
  return Response.json({ message: await sendMessage(getDb(), { userId: user.id, input, log }) }, { status: 201 });
});
