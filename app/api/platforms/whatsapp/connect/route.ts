import { getDb } from "@/db/client";
import { readJson } from "@/lib/api/input";
import { withRoute } from "@/lib/api/with-route";
import { connectWhatsApp, whatsappConnectSchema } from "@/lib/platforms/connect-whatsapp";
import { toPlatformDto } from "@/lib/platforms/dto";

// POST /api/platforms/whatsapp/connect – connect a WhatsApp number after Meta accepts its token
export const POST = withRoute({ auth: "required", scope: "platforms.whatsapp" }, async ({ req, user }) => {
  const input = await readJson(req, whatsappConnectSchema);
  const account = await connectWhatsApp(getDb(), { userId: user.id, input });
  return Response.json({ platform: toPlatformDto(account) }, { status: 201 });
});
