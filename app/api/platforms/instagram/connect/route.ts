import { getDb } from "@/db/client";
import { readJson } from "@/lib/api/input";
import { withRoute } from "@/lib/api/with-route";
import { createConnectUrl } from "@/lib/platforms/connect-meta";
import { connectBody } from "@/lib/validations/platforms";

// POST /api/platforms/instagram/connect – the Meta OAuth dialog URL, with a signed 10-minute state
export const POST = withRoute({ auth: "required", scope: "platforms.connect" }, async ({ req, user }) => {
  const { workspaceId } = await readJson(req, connectBody);
  return Response.json({
    authorizeUrl: await createConnectUrl(getDb(), { userId: user.id, workspaceId, platform: "instagram" }),
  });
});
