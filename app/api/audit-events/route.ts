import { z } from "zod";
import { getDb } from "@/db/client";
import { readQuery } from "@/lib/api/input";
import { cursorParam, limitSchema } from "@/lib/api/pagination";
import { withRoute } from "@/lib/api/with-route";
import { listAuditPage } from "@/lib/audit/list";

const query = z.object({ workspaceId: z.uuid().optional(), cursor: cursorParam, limit: limitSchema });

// GET /api/audit-events – the workspace's security events (sign-in failures, token reuse, connects…), owners only
export const GET = withRoute({ auth: "required", scope: "audit.list" }, async ({ req, user }) => {
  const { workspaceId, cursor, limit } = readQuery(req, query);
  return Response.json(await listAuditPage(getDb(), { userId: user.id, workspaceId, cursor, limit }));
});
