// Security headers of the app's pages and API. Pure functions of the configuration, so proxy.ts
// and the tests share them.

export interface CspOptions {
  nonce: string;
  development: boolean;
  realtimeUrl: string;
  oauthDialogUrl: string;
  https: boolean;
}

function websocketOrigin(url: URL): string {
  return `${url.protocol === "https:" ? "wss:" : "ws:"}//${url.host}`;
}

/** A nonce-based Content-Security-Policy: no inline script runs unless it carries this request's nonce. */
export function contentSecurityPolicy(options: CspOptions): string {
  const realtime = new URL(options.realtimeUrl);
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    // 'strict-dynamic': scripts Next loads from a nonced script are trusted; host lists are ignored.
    "script-src": ["'self'", `'nonce-${options.nonce}'`, "'strict-dynamic'", ...(options.development ? ["'unsafe-eval'"] : [])],
    "style-src": ["'self'", options.development ? "'unsafe-inline'" : `'nonce-${options.nonce}'`],
    // Charts position their SVG parts with style attributes; attributes cannot run code.
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", "https:"],
    "media-src": ["'self'", "blob:", "https:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", realtime.origin, websocketOrigin(realtime), ...(options.development ? ["ws:"] : [])],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    // Sign-in with Facebook posts to us and is redirected to Meta's dialog.
    "form-action": ["'self'", new URL(options.oauthDialogUrl).origin],
    "frame-ancestors": ["'none'"],
    ...(options.https ? { "upgrade-insecure-requests": [] } : {}),
  };
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(" "))
    .join("; ");
}

/** Headers every response carries (API and pages). */
export const baseSecurityHeaders: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
};

export const HSTS = "max-age=63072000; includeSubDomains";

/** CORS for the API: only the app's own origin may read responses from a browser. */
export function corsHeaders(origin: string | null, appUrl: string): Record<string, string> | null {
  if (!origin || origin !== new URL(appUrl).origin) return null;
  return {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Allow-Credentials": "true",
    "Access-Control-Allow-Methods": "GET, POST, PATCH, PUT, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": "authorization, content-type, x-request-id",
    "Access-Control-Max-Age": "600",
    Vary: "Origin",
  };
}
