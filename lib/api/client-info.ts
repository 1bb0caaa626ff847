import "server-only";
import { clientIp } from "@/lib/rate-limit";

/** What we note about the client of an API session (shown to the user, used for rate limits). */
export function clientInfo(req: Request): { ip: string; userAgent: string | null } {
  return { ip: clientIp(req.headers), userAgent: req.headers.get("user-agent")?.slice(0, 500) ?? null };
}
