import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SandboxContext } from "./context";
import { GraphError } from "./graph-error";
import { escapeHtml, redirect, sendHtml, sendJson, type Params } from "./http";
import { appAccessToken, issueToken, LONG_LIVED_SECONDS, readToken, SHORT_LIVED_SECONDS, WHATSAPP_SCOPES } from "./tokens";

// Facebook Login, "Manually Build a Login Flow" (developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow):
// the dialog redirects with ?code&state (or error=access_denied&error_reason=user_denied on Cancel),
// GET|POST /oauth/access_token exchanges the code; "Long-Lived Access Tokens"
// (developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived) covers fb_exchange_token.

const CODE_TTL_MS = 10 * 60 * 1000;
const DEFAULT_SCOPES = ["public_profile"];

const splitScopes = (value: string | undefined) =>
  (value ?? "")
    .split(/[\s,]+/)
    .map((scope) => scope.trim())
    .filter(Boolean);

function errorPage(title: string, detail: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:520px;margin:64px auto;padding:0 16px;color:#1c1e21}h1{font-size:20px}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p></body></html>`;
}

// GET /{version}/dialog/oauth — Facebook Login dialog (manual flow), rendered as a small consent page.
export function oauthDialog(ctx: SandboxContext, res: ServerResponse, params: Params): void {
  const clientId = params.client_id;
  const redirectUri = params.redirect_uri;
  if (!clientId || clientId !== ctx.options.appId) {
    sendHtml(res, 400, errorPage("Invalid App ID", "The provided app ID does not look like a valid app ID."));
    return;
  }
  if (!redirectUri || !/^https?:\/\//.test(redirectUri)) {
    sendHtml(res, 400, errorPage("URL blocked", "This redirect failed because the redirect URI is missing or not absolute."));
    return;
  }
  const responseType = params.response_type ?? "code";
  if (!responseType.split(/[\s,]+/).includes("code")) {
    sendHtml(
      res,
      400,
      errorPage("Unsupported response_type", "The sandbox supports the authorization code flow (response_type=code)."),
    );
    return;
  }
  const scopes = splitScopes(params.scope);
  const user = ctx.fixture.user;
  const pages = ctx.fixture.pages
    .map(
      (page) =>
        `<li><strong>${escapeHtml(page.name)}</strong> <span class="muted">Facebook Page · ${escapeHtml(page.id)}</span>${
          page.instagram
            ? `<br><span class="ig">@${escapeHtml(page.instagram.username)}</span> <span class="muted">Instagram · ${escapeHtml(page.instagram.id)}</span>`
            : ""
        }</li>`,
    )
    .join("");
  const wantsWhatsApp = scopes.some((scope) => WHATSAPP_SCOPES.includes(scope));
  const numbers = wantsWhatsApp
    ? ctx.fixture.whatsapp
        .flatMap((waba) =>
          waba.phoneNumbers.map(
            (phone) =>
              `<li><strong>${escapeHtml(phone.verifiedName)}</strong> <span class="muted">WhatsApp ${escapeHtml(phone.displayPhoneNumber)}</span></li>`,
          ),
        )
        .join("")
    : "";
  const hidden = (name: string, value: string | undefined) =>
    value === undefined ? "" : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const appName = ctx.fixture.app.name;
  sendHtml(
    res,
    200,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Log in with Facebook — Meta sandbox</title>
<style>
body{font-family:system-ui,-apple-system,sans-serif;background:#f0f2f5;margin:0;color:#1c1e21}
main{max-width:440px;margin:48px auto;background:#fff;border-radius:12px;box-shadow:0 2px 12px #0002;padding:28px}
h1{font-size:20px;margin:0 0 4px}.muted{color:#65676b;font-size:13px}.ig{color:#c13584}
ul{padding-left:18px;line-height:1.6}.who{display:flex;gap:12px;align-items:center;margin:16px 0}
.avatar{width:44px;height:44px;border-radius:50%;background:#1877f2;color:#fff;display:grid;place-items:center;font-weight:700}
.actions{display:flex;gap:12px;margin-top:20px}button{flex:1;padding:11px;border-radius:8px;border:0;font-size:15px;font-weight:600;cursor:pointer}
.continue{background:#1877f2;color:#fff}.cancel{background:#e4e6eb;color:#050505}button:focus-visible{outline:3px solid #1877f2;outline-offset:2px}
.banner{background:#fff3cd;border-radius:8px;padding:8px 12px;font-size:13px;margin-bottom:16px}
</style></head><body><main>
<div class="banner" role="note">Meta sandbox — nothing here talks to Facebook.</div>
<h1>${escapeHtml(appName)} is requesting access</h1>
<div class="who"><div class="avatar" aria-hidden="true">${escapeHtml(user.name.slice(0, 1))}</div>
<div><div>Continue as <strong>${escapeHtml(user.name)}</strong></div><div class="muted">${escapeHtml(user.email)}</div></div></div>
<p>${escapeHtml(appName)} will receive access to:</p><ul>${pages}${numbers}</ul>
<p class="muted">Permissions: ${escapeHtml((scopes.length ? scopes : DEFAULT_SCOPES).join(", "))}</p>
<form method="post" action="/_sandbox/oauth/decide">
${hidden("client_id", clientId)}${hidden("redirect_uri", redirectUri)}${hidden("state", params.state)}${hidden("scope", scopes.join(","))}
<div class="actions"><button class="cancel" type="submit" name="decision" value="deny">Cancel</button>
<button class="continue" type="submit" name="decision" value="allow" autofocus>Continue as ${escapeHtml(user.name.split(" ")[0] ?? user.name)}</button></div>
</form></main></body></html>`,
  );
}

// POST /_sandbox/oauth/decide — the consent page's buttons; redirects back exactly as Facebook does.
export function oauthDecide(ctx: SandboxContext, res: ServerResponse, params: Params): void {
  const redirectUri = params.redirect_uri;
  if (params.client_id !== ctx.options.appId || !redirectUri || !/^https?:\/\//.test(redirectUri)) {
    sendHtml(res, 400, errorPage("Invalid request", "The consent form was tampered with or is incomplete."));
    return;
  }
  const target = new URL(redirectUri);
  if (params.decision !== "allow") {
    target.searchParams.set("error", "access_denied");
    target.searchParams.set("error_code", "200");
    target.searchParams.set("error_description", "Permissions error");
    target.searchParams.set("error_reason", "user_denied");
  } else {
    const code = `AQ${randomBytes(48).toString("base64url")}`;
    ctx.state.oauthCodes.set(code, {
      code,
      clientId: params.client_id,
      redirectUri,
      scopes: splitScopes(params.scope).length ? splitScopes(params.scope) : DEFAULT_SCOPES,
      expiresAt: ctx.nowMs() + CODE_TTL_MS,
      used: false,
    });
    target.searchParams.set("code", code);
  }
  if (params.state !== undefined) target.searchParams.set("state", params.state);
  // Facebook appends this fragment to every dialog redirect.
  target.hash = "_=_";
  redirect(res, target.toString());
}

function clientCredentials(req: IncomingMessage, params: Params): { clientId?: string; clientSecret?: string } {
  const header = req.headers.authorization;
  const basic = header ? /^Basic\s+(.+)$/i.exec(header.trim()) : null;
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0)
      return {
        clientId: decodeURIComponent(decoded.slice(0, colon)),
        clientSecret: decodeURIComponent(decoded.slice(colon + 1)),
      };
  }
  return { clientId: params.client_id, clientSecret: params.client_secret };
}

const oauthError = (message: string, code: number, subcode?: number, header?: string) =>
  new GraphError(
    400,
    { message, code, ...(subcode ? { error_subcode: subcode } : {}) },
    header ? { "WWW-Authenticate": `OAuth "Facebook Platform" "${header}" "${message}"` } : {},
  );

// GET|POST /{version}/oauth/access_token — code exchange, fb_exchange_token and client_credentials.
export function oauthAccessToken(ctx: SandboxContext, req: IncomingMessage, res: ServerResponse, params: Params): void {
  const { clientId, clientSecret } = clientCredentials(req, params);
  const { appId, appSecret } = ctx.options;
  if (!clientId) throw oauthError("Missing client_id parameter.", 101);
  if (clientId !== appId)
    throw oauthError("Error validating application. Invalid application ID.", 101, undefined, "invalid_client");
  if (!clientSecret) throw oauthError("Missing client_secret parameter.", 1);
  if (clientSecret !== appSecret) throw oauthError("Error validating client secret.", 1, undefined, "invalid_client");
  const nowSeconds = Math.floor(ctx.nowMs() / 1000);
  const grantType = params.grant_type ?? (params.code ? "authorization_code" : undefined);

  if (grantType === "client_credentials") {
    sendJson(res, 200, { access_token: appAccessToken(appSecret, appId), token_type: "bearer" });
    return;
  }
  if (grantType === "fb_exchange_token") {
    const given = params.fb_exchange_token;
    if (!given) throw oauthError("Missing fb_exchange_token parameter.", 100);
    const check = readToken(appSecret, given);
    if (!check.ok || check.claims.kind !== "user")
      throw oauthError("Invalid OAuth access token - Cannot parse access token", 190);
    if (check.claims.expiresAt * 1000 <= ctx.nowMs())
      throw oauthError("Error validating access token: Session has expired.", 190, 463);
    const token = issueToken(appSecret, {
      ...check.claims,
      issuedAt: nowSeconds,
      expiresAt: nowSeconds + LONG_LIVED_SECONDS,
      longLived: true,
    });
    sendJson(res, 200, { access_token: token, token_type: "bearer", expires_in: LONG_LIVED_SECONDS });
    return;
  }
  if (grantType !== "authorization_code") throw oauthError(`Unsupported grant_type: ${grantType ?? "(none)"}`, 100);

  const code = params.code;
  if (!code) throw oauthError("Missing code parameter.", 100);
  const stored = ctx.state.oauthCodes.get(code);
  if (!stored) throw oauthError("Invalid verification code format.", 100, 36008, "invalid_code");
  if (stored.used) throw oauthError("This authorization code has been used.", 100, 36009, "invalid_code");
  if (stored.expiresAt <= ctx.nowMs()) throw oauthError("This authorization code has expired.", 100, 36007, "invalid_code");
  if (!params.redirect_uri || params.redirect_uri !== stored.redirectUri)
    throw oauthError(
      "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request",
      100,
      36008,
      "invalid_code",
    );
  stored.used = true;
  const token = issueToken(appSecret, {
    kind: "user",
    subject: ctx.fixture.user.id,
    appId,
    issuedAt: nowSeconds,
    expiresAt: nowSeconds + SHORT_LIVED_SECONDS,
    scopes: stored.scopes,
    longLived: false,
  });
  sendJson(res, 200, { access_token: token, token_type: "bearer", expires_in: SHORT_LIVED_SECONDS });
}
