import "server-only";
import { createHmac } from "node:crypto";
import { env } from "@/lib/env";

// The one client of Meta's Graph API (or the local sandbox that plays it). Tokens travel in the
// Authorization header, never in a URL, so they cannot end up in access logs or error messages.

export type GraphErrorKind = "token" | "rate_limit" | "window" | "permission" | "unavailable" | "rejected";

export class GraphError extends Error {
  override name = "GraphError";
  constructor(
    message: string,
    readonly kind: GraphErrorKind,
    readonly status: number,
    readonly code: number | null,
    readonly subcode: number | null,
    readonly fbtraceId: string | null = null,
  ) {
    super(message);
  }

  /** Worth another try later (rate limits, Meta outages), as opposed to a final refusal. */
  get transient(): boolean {
    return this.kind === "rate_limit" || this.kind === "unavailable";
  }
}

const RATE_LIMIT_CODES = new Set([
  4, 17, 32, 613, 80001, 80002, 80003, 80004, 80005, 80006, 80008, 80009, 130429, 131048, 131056,
]);
const TOKEN_CODES = new Set([102, 190, 463, 467]);

/** Maps Meta's error object to what the app does about it. */
export function classifyGraphError(status: number, code: number | null, subcode: number | null): GraphErrorKind {
  if (code !== null && TOKEN_CODES.has(code)) return "token";
  if (code !== null && RATE_LIMIT_CODES.has(code)) return "rate_limit";
  if ((code === 10 && (subcode === 2018278 || subcode === 2534022)) || code === 131047) return "window";
  if (code === 10 || (code !== null && code >= 200 && code < 300)) return "permission";
  if (status >= 500 || status === 0 || code === 1 || code === 2 || code === 131000 || code === 131016) return "unavailable";
  if (status === 429) return "rate_limit";
  return "rejected";
}

type QueryValue = string | number | boolean | undefined | null;

export interface GraphRequest {
  method?: "GET" | "POST" | "DELETE";
  /** A path below the versioned base (`me/accounts`), or a `paging.next` URL Meta gave us. */
  path: string;
  query?: Record<string, QueryValue>;
  /** JSON body for POST. */
  body?: Record<string, unknown>;
  token?: string;
  timeoutMs?: number;
}

function graphBase(): URL {
  return new URL(`${env.META_GRAPH_API_URL.replace(/\/+$/, "")}/${env.META_GRAPH_API_VERSION}/`);
}

function resolveUrl(path: string): URL {
  const base = graphBase();
  if (/^https?:\/\//.test(path)) {
    const url = new URL(path);
    // Only follow paging links back to Meta itself, never somewhere a payload points us.
    if (url.origin !== base.origin)
      throw new GraphError(`refusing to follow a Graph link to ${url.origin}`, "rejected", 0, null, null);
    return url;
  }
  return new URL(path.replace(/^\/+/, ""), base);
}

/** Meta's recommended proof that a call with this token comes from the app's server. */
export function appSecretProof(token: string): string {
  return createHmac("sha256", env.META_APP_SECRET).update(token).digest("hex");
}

interface MetaErrorBody {
  error?: {
    message?: string;
    type?: string;
    code?: number;
    error_subcode?: number;
    fbtrace_id?: string;
    error_data?: { details?: string };
  };
}

export async function graph<T>(request: GraphRequest): Promise<T> {
  const url = resolveUrl(request.path);
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
  }
  const headers: Record<string, string> = { accept: "application/json" };
  if (request.token) {
    headers.authorization = `Bearer ${request.token}`;
    url.searchParams.set("appsecret_proof", appSecretProof(request.token));
  }
  if (request.body) headers["content-type"] = "application/json";

  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method ?? "GET",
      headers,
      body: request.body ? JSON.stringify(request.body) : undefined,
      signal: AbortSignal.timeout(request.timeoutMs ?? 15_000),
      cache: "no-store",
    });
  } catch (cause) {
    const reason = (cause as Error).name === "TimeoutError" ? "timed out" : "could not be reached";
    throw Object.assign(new GraphError(`Meta's Graph API ${reason}`, "unavailable", 0, null, null), { cause });
  }

  const text = await response.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    data = undefined;
  }
  const error = (data as MetaErrorBody | undefined)?.error;
  if (!response.ok || error || data === undefined) {
    const code = typeof error?.code === "number" ? error.code : null;
    const subcode = typeof error?.error_subcode === "number" ? error.error_subcode : null;
    const message = error?.error_data?.details ?? error?.message ?? `Graph API answered HTTP ${response.status}`;
    throw new GraphError(
      message,
      classifyGraphError(response.status, code, subcode),
      response.status,
      code,
      subcode,
      error?.fbtrace_id ?? null,
    );
  }
  return data as T;
}

interface Paged<T> {
  data: T[];
  paging?: { next?: string; cursors?: { after?: string } };
}

/** Walks `paging.next` links, at most `maxPages`, yielding each page's items. */
export async function* graphPages<T>(request: GraphRequest, maxPages = 50): AsyncGenerator<T[]> {
  let next: GraphRequest | undefined = request;
  for (let page = 0; next && page < maxPages; page++) {
    const result: Paged<T> = await graph<Paged<T>>(next);
    yield result.data;
    next = result.paging?.next ? { path: result.paging.next, token: request.token, timeoutMs: request.timeoutMs } : undefined;
  }
}
