import { getDb } from "@/db/client";
import { findPlatformAccountForUser } from "@/db/queries/platform-accounts";
import { readQuery } from "@/lib/api/input";
import { withRoute } from "@/lib/api/with-route";
import { AppError } from "@/lib/errors";
import { disconnectAccount } from "@/lib/platforms/disconnect";
import { toPlatformDto } from "@/lib/platforms/dto";
import { disconnectQuery, platformIdParams } from "@/lib/validations/platforms";

// GET /api/platforms/{id} – one connected account
export const GET = withRoute({ auth: "required", scope: "platforms.get" }, async ({ params, user }) => {
  const { id } = platformIdParams.parse(params);
  const account = await findPlatformAccountForUser(getDb(), { userId: user.id, id });
  if (!account) throw AppError.notFound("Platform");
  return Response.json({ platform: toPlatformDto(account) });
});

// DELETE /api/platforms/{id}?purge=true – disconnect; history is kept unless purged
export const DELETE = withRoute({ auth: "required", scope: "platforms.disconnect" }, async ({ req, params, user, log }) => {
  const { id } = platformIdParams.parse(params);
  const { purge } = readQuery(req, disconnectQuery);
  await disconnectAccount(getDb(), { userId: user.id, id, purge, log });
  return new Response(null, { status: 204 });
});
