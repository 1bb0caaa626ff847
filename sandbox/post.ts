import http from "node:http";
import https from "node:https";

// One raw POST with a hard timeout: the webhook sender and the load runner both need the exact bytes
// on the wire and a latency measurement, so this stays below fetch's body handling.

export interface PostResult {
  status: number | null;
  latencyMs: number;
  error: string | null;
}

export function postRaw(
  url: URL,
  body: Buffer,
  headers: Record<string, string>,
  timeoutMs: number,
  agent?: http.Agent,
): Promise<PostResult> {
  const started = performance.now();
  const transport = url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (status: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status, latencyMs: performance.now() - started, error });
    };
    const req = transport.request(
      url,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(body.length) },
        ...(agent ? { agent } : {}),
      },
      (res) => {
        // Drain so the socket can be reused; the status line is all Meta looks at.
        res.on("data", () => undefined);
        res.on("end", () => finish(res.statusCode ?? null, null));
        res.on("error", (error) => finish(res.statusCode ?? null, error.message));
      },
    );
    const timer = setTimeout(() => {
      finish(null, `timeout after ${timeoutMs} ms`);
      req.destroy();
    }, timeoutMs);
    req.on("error", (error) => finish(null, error.message));
    req.end(body);
  });
}

/** Load and stress traffic may only go to this machine. */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
