import { NextResponse, type NextRequest } from "next/server";
import { protectedPrefixes } from "@/lib/auth/config";
import { decodeSessionCookie } from "@/lib/auth/session-cookie";
import { env } from "@/lib/env";
import { baseSecurityHeaders, contentSecurityPolicy, corsHeaders, HSTS } from "@/lib/security/headers";

// Runs before pages and API routes (not Meta's webhooks, not static files): security headers, a
// per-request CSP nonce, CORS for the API limited to APP_URL, and the sign-in redirect for app
// pages (cookie decoded only; pages still check the user against the database).

function finish(response: NextResponse, https: boolean): NextResponse {
  for (const [name, value] of Object.entries(baseSecurityHeaders)) response.headers.set(name, value);
  if (https && env.NODE_ENV === "production") response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}

export default async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const https = new URL(env.APP_URL).protocol === "https:";

  if (pathname.startsWith("/api/")) {
    const cors = corsHeaders(req.headers.get("origin"), env.APP_URL);
    if (req.method === "OPTIONS") return finish(new NextResponse(null, { status: cors ? 204 : 403, headers: cors ?? {} }), https);
    const response = NextResponse.next();
    for (const [name, value] of Object.entries(cors ?? {})) response.headers.set(name, value);
    return finish(response, https);
  }

  const isProtected = protectedPrefixes.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
  if (isProtected && !(await decodeSessionCookie(req.headers.get("cookie")))) {
    const login = new URL("/login", req.nextUrl);
    login.searchParams.set("next", `${pathname}${search}`);
    return finish(NextResponse.redirect(login), https);
  }

  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy({
    nonce,
    development: env.NODE_ENV === "development",
    realtimeUrl: env.REALTIME_URL,
    oauthDialogUrl: env.META_OAUTH_DIALOG_URL,
    https,
  });
  // Next reads the policy from the request to put the nonce on its own scripts.
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return finish(response, https);
}

export const config = {
  matcher: [
    {
      // Everything but static files and Meta's webhooks (their latency budget is tight and Meta needs no CORS).
      source: "/((?!_next/static|_next/image|icon.svg|api/webhooks/).*)",
      missing: [{ type: "header", key: "next-router-prefetch" }],
    },
  ],
};
