import { getDb } from "@/db/client";
import { findPlatformAccountForUser } from "@/db/queries/platform-accounts";
import { withRoute } from "@/lib/api/with-route";
import { AppError } from "@/lib/errors";
import { requestSync } from "@/lib/sync/request";
import { platformIdParams } from "@/lib/validations/platforms";

// POST /api/platforms/{id}/sync – import the account's history again; progress comes as realtime events
export const POST = withRoute({ auth: "required", scope: "platforms.sync" }, async ({ params, user }) => {
  const { id } = platformIdParams.parse(params);
  const account = await findPlatformAccountForUser(getDb(), { userId: user.id, id });
  if (!account) throw AppError.notFound("Platform");
  if (account.status !== "active")
    throw new AppError("conflict", `${account.name} is ${account.status.replace("_", " ")}; reconnect it before syncing.`);
  return Response.json(await requestSync(account, "manual"), { status: 202 });
});
