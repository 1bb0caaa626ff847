import type { IncomingMessage, ServerResponse } from "node:http";
import { GraphError } from "./graph-error";

// Small request/response helpers shared by the Graph routes and the control API.

const MAX_BODY = 5 * 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export async function readBody(req: IncomingMessage, limit = MAX_BODY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new HttpError(413, `request body over ${limit} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export type Params = Record<string, string>;

/**
 * Graph API calls carry parameters in the query string, a form body or a JSON body (nested JSON
 * values arrive as strings in forms, as the SDKs send them); later sources win, as on graph.facebook.com.
 */
export function parseParams(url: URL, body: Buffer, contentType: string | undefined): { params: Params; json: unknown } {
  const params: Params = Object.fromEntries(url.searchParams);
  let json: unknown;
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (body.length > 0) {
    const text = body.toString("utf8");
    if (type === "application/json") {
      try {
        json = JSON.parse(text);
      } catch {
        throw new GraphError(400, { message: "(#100) The request body is not valid JSON", code: 100 });
      }
      if (json && typeof json === "object" && !Array.isArray(json)) {
        for (const [key, value] of Object.entries(json)) {
          if (value === undefined || value === null) continue;
          params[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
      }
    } else if (type === "application/x-www-form-urlencoded" || type === "" || type === "text/plain") {
      for (const [key, value] of new URLSearchParams(text)) params[key] = value;
    }
  }
  return { params, json };
}

/** A parameter that may be JSON text (form posts) or already an object (JSON bodies). */
export function jsonParam(params: Params, name: string): unknown {
  const value = params[name];
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=UTF-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(text);
}

export function sendGraphError(res: ServerResponse, error: GraphError): void {
  sendJson(res, error.status, error.toJSON(), { "x-fb-trace-id": error.body.fbtrace_id, ...error.headers });
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(html),
    "cache-control": "no-store",
    "content-security-policy":
      "default-src 'self'; img-src 'self' data: https:; style-src 'unsafe-inline'; script-src 'unsafe-inline' 'self'",
  });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, "content-length": 0 });
  res.end();
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The bearer token of a Graph call: `access_token` parameter or an `Authorization: Bearer|OAuth` header. */
export function accessTokenOf(req: IncomingMessage, params: Params): string | undefined {
  const header = req.headers.authorization;
  if (header) {
    const match = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header.trim());
    if (match?.[1]) return match[1].trim();
  }
  return params.access_token || undefined;
}
