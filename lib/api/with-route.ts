import "server-only";
import { randomUUID } from "node:crypto";
import type { NextRequest } from "next/server";
import { errorResponse } from "@/lib/api/error-response";
import { resolveRequestUser, type RequestUser } from "@/lib/auth/request-user";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger, type Logger } from "@/lib/logger";
import { enforceRateLimits, rateRules } from "@/lib/rate-limit";

type Params = Record<string, string | string[] | undefined>;

interface BaseContext<P extends Params> {
  req: NextRequest;
  params: P;
  requestId: string;
  log: Logger;
}

export type RouteContext<P extends Params = Params> = BaseContext<P> & { user: RequestUser };
export type PublicRouteContext<P extends Params = Params> = BaseContext<P> & { user: RequestUser | null };

interface NextRouteContext {
  params: Promise<Params>;
}

type RouteHandler = (req: NextRequest, context: NextRouteContext) => Promise<Response>;

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A browser session (cookie) may change things only from our own pages: a state-changing request
 * whose Origin is another site is refused, whatever SameSite does in that browser.
 */
function refuseCrossSite(req: NextRequest): void {
  if (SAFE_METHODS.has(req.method)) return;
  const origin = req.headers.get("origin");
  if (!origin) return;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  const proto = req.headers.get("x-forwarded-proto") ?? new URL(req.url).protocol.replace(":", "");
  const allowed = new Set([new URL(env.APP_URL).origin, host ? `${proto}://${host}` : null]);
  if (!allowed.has(origin)) throw new AppError("forbidden", "Cross-site requests with a session cookie are refused.");
}

export function withRoute<P extends Params = Params>(
  options: { auth: "required"; scope: string },
  handler: (ctx: RouteContext<P>) => Promise<Response>,
): RouteHandler;
export function withRoute<P extends Params = Params>(
  options: { auth: "none" | "optional"; scope: string },
  handler: (ctx: PublicRouteContext<P>) => Promise<Response>,
): RouteHandler;
/**
 * Every API route goes through here: request id, scoped logger, caller resolution
 * (session cookie or bearer token) and the error envelope of API.md.
 */
export function withRoute<P extends Params>(
  options: { auth: "required" | "optional" | "none"; scope: string },
  handler: ((ctx: RouteContext<P>) => Promise<Response>) | ((ctx: PublicRouteContext<P>) => Promise<Response>),
): RouteHandler {
  // With auth "required" a missing user has already answered 401, so the handler's view holds.
  const run = handler as (ctx: PublicRouteContext<P>) => Promise<Response>;
  return async (req, context) => {
    const incoming = req.headers.get("x-request-id");
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const headers = { "x-request-id": requestId };
    let log = logger.child({ scope: options.scope, requestId });
    try {
      const user = options.auth === "none" ? null : await resolveRequestUser(req);
      if (options.auth === "required" && !user) throw AppError.unauthorized();
      if (user) {
        log = log.child({ userId: user.id });
        if (!user.sessionId) refuseCrossSite(req);
        await enforceRateLimits(getDb(), [{ rule: rateRules.apiPerUser, subject: user.id }]);
      }
      const params = (await context.params) as P;
      const response = await run({ req, params, requestId, log, user });
      try {
        response.headers.set("x-request-id", requestId);
        return response;
      } catch {
        // Response.redirect() and friends have immutable headers; a copy takes the id.
        const copy = new Response(response.body, response);
        copy.headers.set("x-request-id", requestId);
        return copy;
      }
    } catch (error) {
      return errorResponse(error, log, headers);
    }
  };
}
