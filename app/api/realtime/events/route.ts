import { getDb } from "@/db/client";
import { withRoute } from "@/lib/api/with-route";
import { readQuery } from "@/lib/api/input";
import { listEventsSince } from "@/lib/realtime/outbox";
import { eventsQuerySchema } from "@/lib/realtime/schemas";

export const dynamic = "force-dynamic";

// GET /api/realtime/events – the caller's events after a cursor, oldest first, for catch-up after a dropped connection
export const GET = withRoute({ auth: "required", scope: "realtime.events" }, async ({ req, user }) => {
  const query = readQuery(req, eventsQuerySchema);
  const page = await listEventsSince(getDb(), { userId: user.id, after: query.after, limit: query.limit });
  return Response.json(page, { headers: { "Cache-Control": "no-store" } });
});
