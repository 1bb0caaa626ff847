import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { authenticate, canUseWaba } from "./auth";
import { SandboxContext, type StatusDelays } from "./context";
import { handleControl } from "./control";
import { DEFAULT_FIXTURE_PATH, loadFixture, type Fixture, type FixtureInput } from "./fixture";
import { handleGraph } from "./graph";
import { GraphError } from "./graph-error";
import { sendGraphError, sendHtml, sendJson } from "./http";
import { phonePageHtml } from "./phone-page";
import { readSnapshot, SandboxState, writeSnapshot } from "./state";
import { META_LIKE_REDELIVERY_MS, WebhookDispatcher } from "./webhooks";

// The Meta sandbox as one node:http server: Graph API under any version prefix, the OAuth dialog,
// WhatsApp media downloads, the customer's phone at "/", and the /_sandbox control API.

export interface SandboxOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  appId: string;
  /** Signs Messenger/WhatsApp webhooks and validates client_secret. */
  appSecret: string;
  /** Signs Instagram webhooks; defaults to appSecret. */
  instagramAppSecret?: string;
  verifyToken: string;
  /** The app's base URL; webhooks go to `${webhookBaseUrl}/api/webhooks/messenger|instagram|whatsapp`. */
  webhookBaseUrl: string;
  /** A fixture object or a JSON file path; default sandbox/fixtures/default.json. */
  fixture?: FixtureInput | Fixture | string;
  /** How the app reaches the sandbox (paging.next links, media URLs); default http://{host}:{port}. */
  publicUrl?: string;
  /** Webhook redelivery backoff in ms after each failed attempt; default Meta-like (~36 h in total). */
  redelivery?: number[];
  /** How long to wait for the app's 200 before counting a delivery as failed; default 20 s. */
  webhookTimeoutMs?: number;
  /** Events queued within `windowMs` are sent together, up to `maxItems` per POST. Default 10 within 25 ms. */
  batch?: { maxItems: number; windowMs: number };
  /** Delays before echoes and statuses of the app's sends. */
  statusDelaysMs?: Partial<StatusDelays>;
  /** Customers read replies by themselves (read receipts/statuses); default true. */
  autoRead?: boolean;
  /** Deliver webhooks only for accounts the app subscribed; default false (so the demo works before connect). */
  requireSubscription?: boolean;
  /** Persist state here so a restart keeps conversations. */
  stateFile?: string;
  log?: (line: string) => void;
  now?: () => Date;
}

export interface RunningSandbox {
  url: string;
  port: number;
  state: SandboxState;
  context: SandboxContext;
  /** Resolves when no simulated event is pending and every webhook was delivered or gave up. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_DELAYS: StatusDelays = { echo: 150, sent: 300, delivered: 1_000, read: 3_000 };

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const fixture = loadFixture(options.fixture ?? DEFAULT_FIXTURE_PATH);
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const host = options.host ?? "127.0.0.1";
  let publicUrl = options.publicUrl?.replace(/\/+$/, "") ?? "";
  const state = new SandboxState(fixture, () => publicUrl, now);
  if (options.stateFile) {
    const snapshot = readSnapshot(options.stateFile);
    if (snapshot) state.restore(snapshot);
  }
  const dispatcher = new WebhookDispatcher({
    webhookBaseUrl: options.webhookBaseUrl,
    appSecret: options.appSecret,
    instagramAppSecret: options.instagramAppSecret ?? options.appSecret,
    redeliveryMs: options.redelivery ?? META_LIKE_REDELIVERY_MS,
    timeoutMs: options.webhookTimeoutMs ?? 20_000,
    batch: options.batch ?? { maxItems: 10, windowMs: 25 },
    log,
    now,
  });
  const context = new SandboxContext(
    {
      appId: options.appId,
      appSecret: options.appSecret,
      instagramAppSecret: options.instagramAppSecret ?? options.appSecret,
      verifyToken: options.verifyToken,
      webhookBaseUrl: options.webhookBaseUrl,
      statusDelaysMs: { ...DEFAULT_DELAYS, ...options.statusDelaysMs },
      autoRead: options.autoRead ?? true,
      requireSubscription: options.requireSubscription ?? false,
      log,
      now,
    },
    fixture,
    state,
    dispatcher,
  );

  const streams = new Set<ServerResponse>();
  const server = http.createServer((req, res) => {
    handle(context, req, res, streams).catch((error: unknown) => {
      log(`sandbox: ${req.method} ${req.url} failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { error: { message: "sandbox internal error", type: "SandboxError", code: 1 } });
      else res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const displayHost = host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  publicUrl ||= `http://${displayHost}:${port}`;
  context.publicUrl = publicUrl;

  let persistTimer: NodeJS.Timeout | null = null;
  const persist = () => {
    if (options.stateFile) writeSnapshot(options.stateFile, state.toSnapshot());
  };
  if (options.stateFile)
    state.on("change", () => {
      if (persistTimer) return;
      persistTimer = setTimeout(() => {
        persistTimer = null;
        try {
          persist();
        } catch (error) {
          log(`sandbox: could not write ${options.stateFile}: ${(error as Error).message}`);
        }
      }, 300);
      persistTimer.unref();
    });

  return {
    url: publicUrl,
    port,
    state,
    context,
    idle: () => context.idle(),
    close: async () => {
      context.close();
      dispatcher.close();
      if (persistTimer) clearTimeout(persistTimer);
      persist();
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  streams: Set<ServerResponse>,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://sandbox.local");
  if (url.pathname === "/" && req.method === "GET") return sendHtml(res, 200, phonePageHtml());
  if (url.pathname === "/favicon.ico") {
    res.writeHead(204).end();
    return;
  }
  if (url.pathname === "/_sandbox" || url.pathname.startsWith("/_sandbox/")) return handleControl(ctx, req, res, url, streams);
  if (url.pathname === "/whatsapp_business/attachments/" || url.pathname === "/whatsapp_business/attachments")
    return downloadMedia(ctx, req, res, url);
  return handleGraph(ctx, req, res, url);
}

// GET <media url> — WhatsApp "Download Media": the bearer token of the business is required.
function downloadMedia(ctx: SandboxContext, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const header = req.headers.authorization ?? "";
  const token = /^Bearer\s+(.+)$/i.exec(header.trim())?.[1];
  try {
    const principal = authenticate(ctx, token, 401);
    const media = ctx.state.media.get(url.searchParams.get("mid") ?? "");
    const owner = media ? ctx.state.accounts.get(media.phoneNumberId) : undefined;
    if (!media || !owner?.wabaId || !canUseWaba(principal, owner.wabaId)) {
      sendJson(res, 404, { error: { message: "Media not found or URL expired", type: "OAuthException", code: 100 } });
      return;
    }
    const bytes = ctx.state.mediaBytes(media);
    res.writeHead(200, { "content-type": media.mimeType, "content-length": bytes.length, "cache-control": "private, no-store" });
    res.end(bytes);
  } catch (error) {
    if (error instanceof GraphError) return sendGraphError(res, error);
    throw error;
  }
}
