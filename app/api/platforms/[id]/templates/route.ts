import { getDb } from "@/db/client";
import { withRoute } from "@/lib/api/with-route";
import { listTemplates } from "@/lib/platforms/templates";
import { platformIdParams } from "@/lib/validations/platforms";

// GET /api/platforms/{id}/templates – a WhatsApp number's approved templates (for replies outside the window)
export const GET = withRoute({ auth: "required", scope: "platforms.templates" }, async ({ params, user }) => {
  const { id } = platformIdParams.parse(params);
  return Response.json({ templates: await listTemplates(getDb(), { userId: user.id, platformId: id }) });
});
