import type { SandboxContext } from "./context";
import { GraphError, graphErrors } from "./graph-error";
import { readToken, type TokenClaims } from "./tokens";

// Access token checks as Graph does them ("Access Tokens" and "Handling Errors" guides): missing → 104,
// unparseable or forged → 190, expired → 190/463, invalidated → 190/460. WhatsApp Cloud API answers
// the same errors with HTTP 401 (Cloud API error codes page), the rest of Graph with 400.

export type Principal =
  | { kind: "app"; token: string }
  | { kind: "user"; token: string; claims: TokenClaims }
  | { kind: "page"; token: string; claims: TokenClaims; pageId: string }
  | { kind: "system"; token: string; wabaId: string; scopes: string[] };

export function authenticate(ctx: SandboxContext, token: string | undefined, status: 400 | 401 = 400): Principal {
  if (!token)
    throw status === 401
      ? new GraphError(401, { message: "An access token is required to request this resource.", code: 104 })
      : graphErrors.tokenRequired();
  const { appId, appSecret } = ctx.options;
  if (token.includes("|")) {
    if (token === `${appId}|${appSecret}` || token === ctx.appToken()) return { kind: "app", token };
    throw graphErrors.invalidToken(status);
  }
  for (const waba of ctx.fixture.whatsapp)
    if (waba.accessToken && waba.accessToken === token)
      return { kind: "system", token, wabaId: waba.id, scopes: ["whatsapp_business_management", "whatsapp_business_messaging"] };
  const check = readToken(appSecret, token);
  if (!check.ok || check.claims.appId !== appId) throw graphErrors.invalidToken(status);
  if (ctx.state.revokedTokens.has(token)) throw graphErrors.revokedToken(status);
  const { claims } = check;
  const now = ctx.options.now();
  if (claims.expiresAt > 0 && claims.expiresAt * 1000 <= now.getTime())
    throw graphErrors.expiredToken(new Date(claims.expiresAt * 1000), now, status);
  if (claims.kind === "page") return { kind: "page", token, claims, pageId: claims.subject };
  if (claims.kind === "system") return { kind: "system", token, wabaId: claims.subject, scopes: claims.scopes };
  return { kind: "user", token, claims };
}

/** The token's subject, for matching failure-injection rules by account; never throws. */
export function tokenSubject(ctx: SandboxContext, token: string | undefined): string | null {
  if (!token) return null;
  const check = readToken(ctx.options.appSecret, token);
  if (check.ok) return check.claims.subject;
  return ctx.fixture.whatsapp.find((waba) => waba.accessToken === token)?.id ?? null;
}

/** May this principal act for the WhatsApp business account? */
export function canUseWaba(principal: Principal, wabaId: string): boolean {
  if (principal.kind === "system") return principal.wabaId === wabaId;
  if (principal.kind === "user")
    return (
      principal.claims.scopes.includes("whatsapp_business_messaging") ||
      principal.claims.scopes.includes("whatsapp_business_management")
    );
  return false;
}
