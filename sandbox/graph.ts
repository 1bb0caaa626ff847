import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { authenticate, canUseWaba, tokenSubject, type Principal } from "./auth";
import type { SandboxContext } from "./context";
import { paginate, parseFields } from "./fields";
import { ASYNC_WHATSAPP_FAILURES, type CallInfo, type FailureRule } from "./failures";
import { GraphError, graphErrors, whatsappSyncError } from "./graph-error";
import {
  conversationNode,
  customerNode,
  instagramNode,
  mediaNode,
  messageNode,
  pageNode,
  phoneNumberNode,
  userNode,
  visibleMessages,
  wabaNode,
  type NodeEnv,
} from "./graph-nodes";
import { accessTokenOf, parseParams, readBody, sendGraphError, sendJson, type Params } from "./http";
import { oauthAccessToken, oauthDialog } from "./oauth";
import { sendMessage } from "./send-api";
import { replayWhatsAppHistory } from "./simulate";
import { readToken } from "./tokens";
import { whatsappAccountFor, whatsappSend, whatsappUpload } from "./whatsapp";

// The Graph API surface the app uses, under any version prefix (/v25.0/…, /v19.0/…, or none).

const VERSION = /^v\d+(\.\d+)?$/;
const PAGE_FIELDS = new Set([
  "messages",
  "messaging_postbacks",
  "messaging_optins",
  "messaging_referrals",
  "messaging_handovers",
  "messaging_policy_enforcement",
  "message_deliveries",
  "message_reads",
  "message_echoes",
  "message_reactions",
  "message_edits",
  "messaging_seen",
  "standby",
  "feed",
]);
const ME_ACCOUNTS_DEFAULTS = ["access_token", "category", "category_list", "name", "id", "tasks"];

export async function handleGraph(ctx: SandboxContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const segments = url.pathname
    .split("/")
    .filter(Boolean)
    .map((part) => decodeURIComponent(part));
  const version = segments[0] && VERSION.test(segments[0]) ? (segments.shift() ?? "") : "";
  const method = (req.method ?? "GET").toUpperCase();
  const path = `/${segments.join("/")}`;
  try {
    const body = await readBody(req);
    const { params, json } = parseParams(url, body, req.headers["content-type"]);
    const token = accessTokenOf(req, params);
    const env: NodeEnv = { ctx, version, accessToken: token ?? "" };
    const [first = "", edge, extra] = segments;

    // OAuth endpoints do not take an access token.
    if (first === "dialog" && edge === "oauth" && !extra && method === "GET") return oauthDialog(ctx, res, params);
    if (first === "oauth" && edge === "access_token" && !extra && (method === "GET" || method === "POST")) {
      const injected = takeInjected(ctx, { method, path, accounts: [] });
      if (injected) throw injectedError(ctx, injected, false, "");
      return oauthAccessToken(ctx, req, res, params);
    }

    const target = ctx.state.accounts.get(first);
    const whatsappRoute =
      target?.platform === "whatsapp" || ctx.fixture.whatsapp.some((waba) => waba.id === first) || ctx.state.media.has(first);
    const subject = tokenSubject(ctx, token);
    const call: CallInfo = {
      method,
      path,
      accounts: [first, subject ?? "", target?.wabaId ?? "", target?.pageId ?? ""].filter(Boolean),
    };
    const injected = takeInjected(ctx, call);
    if (injected) throw injectedError(ctx, injected, whatsappRoute, first);

    const principal = authenticate(ctx, token, whatsappRoute ? 401 : 400);
    const fields = parseFields(params.fields);

    if (first === "debug_token" && !edge) return sendJson(res, 200, debugToken(ctx, principal, params));

    if (first === "me") {
      if (!edge && method === "GET") return sendJson(res, 200, meNode(ctx, env, principal, fields));
      if (edge === "accounts" && !extra && method === "GET") {
        if (principal.kind !== "user")
          throw graphErrors.nonexistingField("accounts", principal.kind === "page" ? "Page" : "Application");
        const pages = paginate(ctx.fixture.pages, params, link(ctx, url));
        return sendJson(res, 200, {
          ...pages,
          data: pages.data.map((page) => pageNode(env, page, fields, principal.claims, ME_ACCOUNTS_DEFAULTS)),
        });
      }
      if (edge === "permissions" && !extra && method === "GET") {
        if (principal.kind !== "user") throw graphErrors.nonexistingField("permissions", "Page");
        return sendJson(res, 200, { data: principal.claims.scopes.map((permission) => ({ permission, status: "granted" })) });
      }
      if (edge === "messages" && !extra && method === "POST")
        return sendMessengerOrInstagram(ctx, res, principal, "me", params, json, path, call);
      if (edge === "conversations" && !extra && method === "GET") {
        if (principal.kind !== "page") throw graphErrors.pageTokenRequired();
        return listConversations(ctx, env, res, url, principal.pageId, params);
      }
      throw graphErrors.unknownPath(edge ?? "");
    }

    if (extra) throw graphErrors.unknownPath(`${edge}/${extra}`);
    if (!edge) {
      if (method !== "GET") throw graphErrors.unsupported(method, first);
      return sendJson(res, 200, readNode(ctx, env, principal, first, fields));
    }
    switch (edge) {
      case "conversations":
        if (method !== "GET") break;
        return listConversations(ctx, env, res, url, pageOf(ctx, principal, first), params);
      case "messages":
        if (method === "POST") {
          if (target?.platform === "whatsapp") {
            let outcome: ReturnType<typeof whatsappSend> | undefined;
            try {
              outcome = whatsappSend(ctx, principal, first, params, call);
              return sendJson(res, 200, outcome.body);
            } finally {
              recordSend(ctx, "whatsapp", first, params.to ?? params.message_id ?? "", path, json ?? params, outcome);
            }
          }
          return sendMessengerOrInstagram(ctx, res, principal, first, params, json, path, call);
        }
        if (method === "GET") {
          const thread = ctx.state.threadById(first);
          if (
            !thread ||
            thread.platform === "whatsapp" ||
            principal.kind !== "page" ||
            pageIdOfAccount(ctx, thread.accountId) !== principal.pageId
          )
            throw graphErrors.unsupported("get", first);
          const page = paginate(visibleMessages(thread), params, link(ctx, url));
          return sendJson(res, 200, { ...page, data: page.data.map((message) => messageNode(env, message, fields)) });
        }
        break;
      case "subscribed_apps":
        return subscribedApps(ctx, res, principal, method, first, params);
      case "phone_numbers": {
        const waba = ctx.fixture.whatsapp.find((candidate) => candidate.id === first);
        if (!waba || method !== "GET" || !canUseWaba(principal, waba.id)) throw graphErrors.unsupported(method, first);
        const numbers = paginate(
          ctx.state.accountsOf("whatsapp").filter((account) => account.wabaId === waba.id),
          params,
          link(ctx, url),
        );
        return sendJson(res, 200, { ...numbers, data: numbers.data.map((account) => phoneNumberNode(env, account, fields)) });
      }
      case "message_templates": {
        const waba = ctx.fixture.whatsapp.find((candidate) => candidate.id === first);
        if (!waba || method !== "GET" || !canUseWaba(principal, waba.id)) throw graphErrors.unsupported(method, first);
        const templates = paginate(waba.templates, params, link(ctx, url));
        return sendJson(res, 200, {
          ...templates,
          data: templates.data.map((template) => ({
            name: template.name,
            language: template.language,
            status: "APPROVED",
            category: template.category,
            components: [{ type: "BODY", text: template.body }],
            id: `${waba.id.slice(-6)}${template.name.length}${template.language.length}`,
          })),
        });
      }
      case "media": {
        if (method !== "POST") break;
        const account = whatsappAccountFor(ctx, principal, first);
        const file = multipartFile(req.headers["content-type"], body);
        return sendJson(res, 200, whatsappUpload(ctx, account, file.bytes, params.type ?? file.type));
      }
      default:
        break;
    }
    throw graphErrors.unsupported(method, first);
  } catch (error) {
    if (error instanceof GraphError) return sendGraphError(res, error);
    throw error;
  }
}

function takeInjected(ctx: SandboxContext, call: CallInfo): FailureRule | undefined {
  return ctx.failures.take(call, (kind) => kind !== "outside_window" && !ASYNC_WHATSAPP_FAILURES.has(kind));
}

function injectedError(ctx: SandboxContext, rule: FailureRule, whatsapp: boolean, objectId: string): GraphError {
  const now = ctx.options.now();
  const status = whatsapp ? 401 : 400;
  switch (rule.kind) {
    case "expired_token":
      return graphErrors.expiredToken(new Date(now.getTime() - 3_600_000), now, status);
    case "invalid_token":
      return graphErrors.invalidToken(status);
    case "rate_limit_app":
      return graphErrors.appRateLimit(whatsapp ? 429 : 400);
    case "rate_limit_user":
      return graphErrors.userRateLimit();
    case "rate_limit_page":
      return graphErrors.pageRateLimit(objectId || rule.account || "0");
    case "rate_limit_api":
      return graphErrors.apiRateLimit(objectId || rule.account || "0");
    case "whatsapp_throughput":
      return whatsappSyncError(130429);
    default:
      return graphErrors.serverError(rule.status);
  }
}

function pageIdOfAccount(ctx: SandboxContext, accountId: string): string {
  return ctx.state.accounts.get(accountId)?.pageId ?? "";
}

function pageOf(ctx: SandboxContext, principal: Principal, id: string): string {
  if (principal.kind !== "page") throw graphErrors.pageTokenRequired();
  const account = ctx.state.accounts.get(id);
  if (!account || account.platform === "whatsapp" || account.pageId !== principal.pageId)
    throw graphErrors.unsupported("get", id);
  return account.pageId;
}

function link(ctx: SandboxContext, url: URL) {
  return (params: Record<string, string>) => {
    const next = new URL(`${ctx.publicUrl}${url.pathname}${url.search}`);
    next.searchParams.delete("after");
    next.searchParams.delete("before");
    for (const [key, value] of Object.entries(params)) next.searchParams.set(key, value);
    return next.toString();
  };
}

// GET /{page-id}/conversations?platform=messenger|instagram — Conversations API.
function listConversations(
  ctx: SandboxContext,
  env: NodeEnv,
  res: ServerResponse,
  url: URL,
  pageId: string,
  params: Params,
): void {
  const platform = params.platform ?? "messenger";
  if (platform !== "messenger" && platform !== "instagram")
    throw graphErrors.invalidParameter('param platform must be one of {MESSENGER, INSTAGRAM} - got "' + platform + '"');
  const accountId =
    platform === "messenger"
      ? pageId
      : (ctx.state.accountsOf("instagram").find((account) => account.pageId === pageId)?.id ?? "");
  const threads = [...ctx.state.threads.values()]
    .filter((thread) => thread.accountId === accountId && visibleMessages(thread).length > 0)
    .filter((thread) => !params.user_id || thread.customerId === params.user_id)
    .sort((a, b) => (visibleMessages(b)[0]?.timestamp ?? 0) - (visibleMessages(a)[0]?.timestamp ?? 0));
  const page = paginate(threads, params, link(ctx, url));
  const fields = parseFields(params.fields);
  sendJson(res, 200, { ...page, data: page.data.map((thread) => conversationNode(env, thread, fields)) });
}

function sendMessengerOrInstagram(
  ctx: SandboxContext,
  res: ServerResponse,
  principal: Principal,
  pathId: string,
  params: Params,
  json: unknown,
  path: string,
  call: CallInfo,
): void {
  let outcome: ReturnType<typeof sendMessage> | undefined;
  const recipient = (() => {
    try {
      return String((JSON.parse(params.recipient ?? "{}") as { id?: unknown }).id ?? "");
    } catch {
      return "";
    }
  })();
  try {
    const window = ctx.failures.take(call, (kind) => kind === "outside_window");
    if (window)
      throw ctx.state.customer("instagram", recipient)
        ? graphErrors.instagramOutsideWindow()
        : graphErrors.messengerOutsideWindow();
    outcome = sendMessage(ctx, principal, pathId, params);
    sendJson(res, 200, outcome.body);
  } finally {
    const platform = outcome?.account.platform ?? (ctx.state.customer("instagram", recipient) ? "instagram" : "messenger");
    recordSend(ctx, platform, outcome?.account.id ?? pathId, recipient, path, json ?? params, outcome);
  }
}

function recordSend(
  ctx: SandboxContext,
  platform: "messenger" | "instagram" | "whatsapp",
  accountId: string,
  recipientId: string,
  path: string,
  request: unknown,
  outcome: { body: Record<string, unknown>; message: { id: string } | null } | undefined,
): void {
  ctx.state.recordSend({
    id: `snd_${randomBytes(6).toString("hex")}`,
    at: ctx.options.now().toISOString(),
    platform,
    accountId,
    recipientId,
    path,
    request,
    status: outcome ? 200 : 400,
    response: outcome?.body ?? null,
    messageId: outcome?.message?.id ?? null,
  });
}

function meNode(
  ctx: SandboxContext,
  env: NodeEnv,
  principal: Principal,
  fields: ReturnType<typeof parseFields>,
): Record<string, unknown> {
  if (principal.kind === "user") return userNode(env, fields);
  if (principal.kind === "page") {
    const page = ctx.fixture.pages.find((candidate) => candidate.id === principal.pageId);
    if (!page) throw graphErrors.invalidToken();
    return pageNode(env, page, fields, null, ["name", "id"]);
  }
  if (principal.kind === "system") return { name: "Chats system user", id: `6${principal.wabaId.slice(1)}` };
  throw new GraphError(400, {
    message: "An active access token must be used to query information about the current user.",
    code: 2500,
  });
}

/** GET /{id} for every object type the sandbox knows, as visible to the token. */
function readNode(
  ctx: SandboxContext,
  env: NodeEnv,
  principal: Principal,
  id: string,
  fields: ReturnType<typeof parseFields>,
): Record<string, unknown> {
  const state = ctx.state;
  if (id === ctx.fixture.user.id && principal.kind === "user") return userNode(env, fields);
  const page = ctx.fixture.pages.find((candidate) => candidate.id === id);
  if (page) {
    if (principal.kind === "user") return pageNode(env, page, fields, principal.claims, ["name", "id"]);
    if ((principal.kind === "page" && principal.pageId === page.id) || principal.kind === "app")
      return pageNode(env, page, fields, null, ["name", "id"]);
    throw graphErrors.unsupported("get", id);
  }
  const igPage = ctx.fixture.pages.find((candidate) => candidate.instagram?.id === id);
  if (igPage) {
    if (principal.kind === "user" || (principal.kind === "page" && principal.pageId === igPage.id))
      return instagramNode(env, igPage, fields);
    throw graphErrors.unsupported("get", id);
  }
  const account = state.accounts.get(id);
  if (account?.platform === "whatsapp" && account.wabaId) {
    if (!canUseWaba(principal, account.wabaId)) throw graphErrors.unsupported("get", id);
    return phoneNumberNode(env, account, fields);
  }
  const waba = ctx.fixture.whatsapp.find((candidate) => candidate.id === id);
  if (waba) {
    if (!canUseWaba(principal, waba.id)) throw graphErrors.unsupported("get", id);
    return wabaNode(env, waba, fields);
  }
  const media = state.media.get(id);
  if (media) {
    const owner = state.accounts.get(media.phoneNumberId);
    if (!owner?.wabaId || !canUseWaba(principal, owner.wabaId)) throw graphErrors.unsupported("get", id);
    return mediaNode(env, media);
  }
  if (principal.kind === "page") {
    const thread = state.threadById(id);
    if (thread && thread.platform !== "whatsapp" && pageIdOfAccount(ctx, thread.accountId) === principal.pageId)
      return conversationNode(env, thread, fields);
    const message = state.messages.get(id);
    if (
      message &&
      message.platform !== "whatsapp" &&
      !message.deleted &&
      pageIdOfAccount(ctx, message.accountId) === principal.pageId
    )
      return messageNode(env, message, fields);
    for (const platform of ["messenger", "instagram"] as const) {
      const customer = state.customer(platform, id);
      if (customer && pageIdOfAccount(ctx, customer.accountId) === principal.pageId) return customerNode(env, customer, fields);
    }
  }
  throw graphErrors.unsupported("get", id);
}

// GET /debug_token?input_token=… — Graph API reference "Debug-Token".
function debugToken(ctx: SandboxContext, principal: Principal, params: Params): Record<string, unknown> {
  if (principal.kind !== "app" && principal.kind !== "user")
    throw graphErrors.invalidParameter(
      "You must provide an app access token, or a user access token that is an owner or developer of the app",
    );
  const input = params.input_token;
  if (!input) throw graphErrors.invalidParameter("The parameter input_token is required");
  const { appId, appSecret } = ctx.options;
  const application = ctx.fixture.app.name;
  if (input === `${appId}|${appSecret}` || input === ctx.appToken())
    return { data: { app_id: appId, type: "APP", application, is_valid: true } };
  const fixed = ctx.fixture.whatsapp.find((waba) => waba.accessToken === input);
  if (fixed)
    return {
      data: {
        app_id: appId,
        type: "SYSTEM_USER",
        application,
        data_access_expires_at: 0,
        expires_at: 0,
        is_valid: true,
        issued_at: 0,
        scopes: ["whatsapp_business_management", "whatsapp_business_messaging"],
        granular_scopes: [
          { scope: "whatsapp_business_management", target_ids: [fixed.id] },
          { scope: "whatsapp_business_messaging", target_ids: [fixed.id] },
        ],
        user_id: `6${fixed.id.slice(1)}`,
      },
    };
  const check = readToken(appSecret, input);
  if (!check.ok || check.claims.appId !== appId)
    return {
      data: {
        error: { code: 190, message: "Invalid OAuth access token - Cannot parse access token" },
        is_valid: false,
        scopes: [],
      },
    };
  const claims = check.claims;
  const nowSeconds = Math.floor(ctx.nowMs() / 1000);
  const expired = claims.expiresAt > 0 && claims.expiresAt <= nowSeconds;
  const revoked = ctx.state.revokedTokens.has(input);
  const type = claims.kind === "user" ? "USER" : claims.kind === "page" ? "PAGE" : "SYSTEM_USER";
  const data: Record<string, unknown> = {
    app_id: appId,
    type,
    application,
    data_access_expires_at: (claims.issuedAt || nowSeconds) + 90 * 24 * 60 * 60,
    expires_at: claims.expiresAt,
    is_valid: !expired && !revoked,
    issued_at: claims.issuedAt || undefined,
    scopes: claims.scopes,
    granular_scopes: claims.scopes.map((scope) => ({
      scope,
      ...(scope.startsWith("pages_") || scope.startsWith("instagram_")
        ? { target_ids: ctx.fixture.pages.flatMap((page) => [page.id, ...(page.instagram ? [page.instagram.id] : [])]) }
        : scope.startsWith("whatsapp_")
          ? { target_ids: ctx.fixture.whatsapp.map((waba) => waba.id) }
          : {}),
    })),
    user_id:
      claims.kind === "user" ? claims.subject : claims.kind === "page" ? ctx.fixture.user.id : `6${claims.subject.slice(1)}`,
  };
  if (claims.kind === "page") data.profile_id = claims.subject;
  if (expired)
    data.error = {
      code: 190,
      message: `Error validating access token: Session has expired on ${new Date(claims.expiresAt * 1000).toUTCString()}.`,
      subcode: 463,
    };
  else if (revoked)
    data.error = { code: 190, message: "Error validating access token: The session has been invalidated.", subcode: 460 };
  return { data };
}

// GET|POST|DELETE /{page-id}/subscribed_apps and /{waba-id}/subscribed_apps — Webhooks for Pages / WhatsApp.
function subscribedApps(
  ctx: SandboxContext,
  res: ServerResponse,
  principal: Principal,
  method: string,
  id: string,
  params: Params,
): void {
  const state = ctx.state;
  const page = ctx.fixture.pages.find((candidate) => candidate.id === id);
  const waba = ctx.fixture.whatsapp.find((candidate) => candidate.id === id);
  if (page) {
    if (principal.kind !== "page" || principal.pageId !== page.id) throw graphErrors.pageTokenRequired();
    if (method === "GET") {
      const fields = state.subscriptions.get(page.id);
      return sendJson(res, 200, {
        data: fields
          ? [
              {
                category: "Business",
                link: "https://chats.example/",
                name: ctx.fixture.app.name,
                id: ctx.options.appId,
                subscribed_fields: fields,
              },
            ]
          : [],
      });
    }
    if (method === "POST") {
      const raw = params.subscribed_fields;
      if (!raw) throw graphErrors.invalidParameter("The parameter subscribed_fields is required");
      const requested = (raw.startsWith("[") ? (JSON.parse(raw) as string[]) : raw.split(","))
        .map((field) => field.trim())
        .filter(Boolean);
      requested.forEach((field, index) => {
        if (!PAGE_FIELDS.has(field))
          throw graphErrors.invalidParameter(
            `Param subscribed_fields[${index}] must be one of {${[...PAGE_FIELDS].join(", ")}} - got "${field}"`,
          );
      });
      state.subscriptions.set(page.id, [...new Set([...(state.subscriptions.get(page.id) ?? []), ...requested])]);
      return sendJson(res, 200, { success: true });
    }
    if (method === "DELETE") {
      state.subscriptions.delete(page.id);
      return sendJson(res, 200, { success: true });
    }
  }
  if (waba) {
    if (!canUseWaba(principal, waba.id)) throw graphErrors.unsupported(method, id);
    if (method === "GET")
      return sendJson(res, 200, {
        data: state.subscriptions.has(waba.id)
          ? [
              {
                whatsapp_business_api_data: { id: ctx.options.appId, link: "https://chats.example/", name: ctx.fixture.app.name },
              },
            ]
          : [],
      });
    if (method === "POST") {
      state.subscriptions.set(waba.id, ["messages"]);
      sendJson(res, 200, { success: true });
      replayWhatsAppHistory(ctx, waba.id);
      return;
    }
    if (method === "DELETE") {
      state.subscriptions.delete(waba.id);
      return sendJson(res, 200, { success: true });
    }
  }
  throw graphErrors.unsupported(method, id);
}

/** The `file` part of a multipart/form-data upload. */
function multipartFile(contentType: string | undefined, body: Buffer): { bytes: Buffer; type: string } {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? "");
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) throw graphErrors.invalidParameter("file upload must be multipart/form-data");
  const delimiter = Buffer.from(`--${marker}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2);
    const split = part.indexOf("\r\n\r\n");
    const head = part.subarray(0, split).toString("utf8");
    if (split !== -1 && /name="file"/i.test(head)) {
      const type = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim() ?? "application/octet-stream";
      return { bytes: part.subarray(split + 4), type };
    }
    start = next;
  }
  throw graphErrors.invalidParameter("The parameter file is required");
}
