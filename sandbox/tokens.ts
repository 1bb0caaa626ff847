import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// Access tokens are self-describing and signed with the app secret, so they survive a sandbox restart
// (the app keeps its stored tokens working) and need no lookup table. Page and system-user tokens are
// derived deterministically, as a long-lived Page token from Meta is stable for a given user and Page.

export type TokenKind = "user" | "page" | "system";

export interface TokenClaims {
  kind: TokenKind;
  /** User id, Page id or WhatsApp Business account id. */
  subject: string;
  appId: string;
  /** Seconds since the epoch; 0 for derived tokens. */
  issuedAt: number;
  /** Seconds since the epoch; 0 = never expires. */
  expiresAt: number;
  scopes: string[];
  longLived: boolean;
}

const PREFIX = "EAAS";

export const SHORT_LIVED_SECONDS = 2 * 60 * 60;
export const LONG_LIVED_SECONDS = 60 * 24 * 60 * 60;

export function issueToken(secret: string, claims: TokenClaims, unique = true): string {
  const body = {
    k: claims.kind,
    s: claims.subject,
    a: claims.appId,
    i: claims.issuedAt,
    e: claims.expiresAt,
    c: claims.scopes,
    l: claims.longLived ? 1 : 0,
    ...(unique ? { n: randomBytes(6).toString("base64url") } : {}),
  };
  const payload = Buffer.from(JSON.stringify(body)).toString("base64url");
  return `${PREFIX}${payload}.${sign(secret, payload)}`;
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: "malformed" | "bad_signature" };

/** Verifies the signature and shape; expiry and revocation are the caller's policy. */
export function readToken(secret: string, token: string): TokenCheck {
  if (!token.startsWith(PREFIX)) return { ok: false, reason: "malformed" };
  const [payload, signature, extra] = token.slice(PREFIX.length).split(".");
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: "malformed" };
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "bad_signature" };
  try {
    const body = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    const kind = body.k;
    if (kind !== "user" && kind !== "page" && kind !== "system") return { ok: false, reason: "malformed" };
    return {
      ok: true,
      claims: {
        kind,
        subject: String(body.s),
        appId: String(body.a),
        issuedAt: Number(body.i),
        expiresAt: Number(body.e),
        scopes: Array.isArray(body.c) ? body.c.map(String) : [],
        longLived: body.l === 1,
      },
    };
  } catch {
    return { ok: false, reason: "malformed" };
  }
}

function sign(secret: string, payload: string): string {
  return createHmac("sha256", `sandbox-token:${secret}`).update(payload).digest("base64url").slice(0, 32);
}

export const PAGE_SCOPES = [
  "pages_show_list",
  "pages_manage_metadata",
  "pages_read_engagement",
  "pages_messaging",
  "instagram_basic",
  "instagram_manage_messages",
];
export const WHATSAPP_SCOPES = ["whatsapp_business_management", "whatsapp_business_messaging"];

/** The never-expiring Page token Meta hands out through a long-lived user token. */
export function pageToken(secret: string, appId: string, pageId: string): string {
  return issueToken(
    secret,
    { kind: "page", subject: pageId, appId, issuedAt: 0, expiresAt: 0, scopes: PAGE_SCOPES, longLived: true },
    false,
  );
}

/** A WhatsApp system-user token for one business account. */
export function systemUserToken(secret: string, appId: string, wabaId: string): string {
  return issueToken(
    secret,
    { kind: "system", subject: wabaId, appId, issuedAt: 0, expiresAt: 0, scopes: WHATSAPP_SCOPES, longLived: true },
    false,
  );
}

/** Meta's app access token form for client_credentials: "{app-id}|{opaque}". */
export function appAccessToken(secret: string, appId: string): string {
  return `${appId}|${createHash("sha256").update(`app-token:${appId}:${secret}`).digest("base64url").slice(0, 27)}`;
}
