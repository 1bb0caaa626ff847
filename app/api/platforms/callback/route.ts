import { getDb } from "@/db/client";
import { readQuery } from "@/lib/api/input";
import { withRoute } from "@/lib/api/with-route";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { completeMetaConnect } from "@/lib/platforms/connect-meta";
import { toPlatformDto } from "@/lib/platforms/dto";
import { callbackQuery } from "@/lib/validations/platforms";

const wantsJson = (req: Request) => req.headers.get("accept")?.includes("application/json") ?? false;

function backToSettings(params: Record<string, string>) {
  const url = new URL("/settings/platforms", env.APP_URL);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return Response.redirect(url, 303);
}

// GET /api/platforms/callback – Meta's OAuth redirect: store the pages' tokens, subscribe, backfill
export const GET = withRoute({ auth: "required", scope: "platforms.callback" }, async ({ req, user, log }) => {
  const query = readQuery(req, callbackQuery);
  try {
    if ("error" in query)
      throw new AppError("platform_rejected", query.error_description ?? "The connection was cancelled in Meta's dialog.");
    const result = await completeMetaConnect(getDb(), { userId: user.id, code: query.code, state: query.state, log });
    if (wantsJson(req)) return Response.json({ platforms: result.connected.map(toPlatformDto), skipped: result.skipped });
    return backToSettings({
      connected: String(result.connected.length),
      ...(result.skipped.length ? { skipped: result.skipped.map((s) => `${s.name}: ${s.reason}`).join("\n") } : {}),
    });
  } catch (error) {
    if (wantsJson(req) || !(error instanceof AppError)) throw error;
    return backToSettings({ error: error.message });
  }
});
