import { NextRequest } from "next/server";
import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { afterEach, describe, expect, it, vi } from "vitest";

// proxy.ts as Next runs it in front of pages and the API: the headers a browser receives. The
// production build's own pages are checked in e2e/home.spec.ts; here every branch of the
// configuration (production or not, https or not, which origin asks) is exercised directly.

const APP_ORIGIN = "http://localhost:3000";
const FOREIGN_ORIGIN = "https://attacker.example";
const saved = { NODE_ENV: process.env.NODE_ENV, APP_URL: process.env.APP_URL };

afterEach(() => {
  Object.assign(process.env, saved);
  vi.resetModules();
});

/** Runs the proxy under a configuration; the env module parses once, so each run loads it afresh. */
async function throughProxy(
  path: string,
  init: { method?: string; headers?: Record<string, string> } = {},
  config: { NODE_ENV?: string; APP_URL?: string } = {},
) {
  Object.assign(process.env, config);
  vi.resetModules();
  const { default: proxy } = await import("@/proxy");
  const base = config.APP_URL ?? APP_ORIGIN;
  return proxy(new NextRequest(new URL(path, base), { method: init.method ?? "GET", headers: init.headers }));
}

function nonceOf(csp: string | null): string | undefined {
  return /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp ?? "")?.[1];
}

describe("pages", () => {
  it("carry a nonce CSP whose nonce is the one Next puts on its scripts, new on every request", async () => {
    const first = await throughProxy("/login");
    const second = await throughProxy("/login");
    const csp = first.headers.get("content-security-policy");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    // Next reads the nonce from the request headers the proxy overrides.
    expect(first.headers.get("x-middleware-request-x-nonce")).toBe(nonceOf(csp));
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(nonceOf(second.headers.get("content-security-policy"))).not.toBe(nonceOf(csp));
  });

  it("may not be framed, sniffed or leak their full URL to other sites", async () => {
    const response = await throughProxy("/login");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("content-security-policy")).toContain("object-src 'none'");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  });

  it("allow neither eval nor inline styles in production, which development's tooling needs", async () => {
    const production = (await throughProxy("/login", {}, { NODE_ENV: "production" })).headers.get("content-security-policy");
    const development = (await throughProxy("/login", {}, { NODE_ENV: "development" })).headers.get("content-security-policy");
    expect(production).not.toContain("'unsafe-eval'");
    expect(production).toMatch(/style-src 'self' 'nonce-/);
    expect(development).toContain("'unsafe-eval'");
    expect(development).toMatch(/style-src 'self' 'unsafe-inline'/);
  });

  it("send a signed-out visitor of an app page to sign-in, still with the security headers", async () => {
    const response = await throughProxy("/inbox?conversation=1");
    expect(response.status).toBe(307);
    const location = new URL(response.headers.get("location") ?? "");
    expect(location.pathname).toBe("/login");
    expect(location.searchParams.get("next")).toBe("/inbox?conversation=1");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("HSTS", () => {
  it("is sent by a production build served over https", async () => {
    const response = await throughProxy("/login", {}, { NODE_ENV: "production", APP_URL: "https://chats.example" });
    expect(response.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    expect(response.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
  });

  it("is never sent over plain http, where it would pin a local trial to https", async () => {
    const response = await throughProxy("/login", {}, { NODE_ENV: "production", APP_URL: "http://localhost:3000" });
    expect(response.headers.get("strict-transport-security")).toBeNull();
  });

  it("is never sent outside production, even when APP_URL is https", async () => {
    const response = await throughProxy("/login", {}, { NODE_ENV: "development", APP_URL: "https://chats.example" });
    expect(response.headers.get("strict-transport-security")).toBeNull();
  });
});

describe("CORS on the API", () => {
  it("lets a preflight from APP_URL's origin through, with credentials", async () => {
    const response = await throughProxy("/api/conversations", {
      method: "OPTIONS",
      headers: { origin: APP_ORIGIN, "access-control-request-method": "PATCH" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
    expect(response.headers.get("access-control-allow-credentials")).toBe("true");
    expect(response.headers.get("access-control-allow-methods")).toContain("PATCH");
    expect(response.headers.get("vary")).toContain("Origin");
  });

  it("refuses a preflight from any other origin, so the browser never sends the request", async () => {
    for (const origin of [FOREIGN_ORIGIN, "http://localhost:3001", "null"]) {
      const response = await throughProxy("/api/conversations", {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST" },
      });
      expect(response.status).toBe(403);
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
      expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    }
  });

  it("does not let another origin read an API response, and never answers with a wildcard", async () => {
    const foreign = await throughProxy("/api/auth/me", { headers: { origin: FOREIGN_ORIGIN } });
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
    const own = await throughProxy("/api/auth/me", { headers: { origin: APP_ORIGIN } });
    expect(own.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
    expect(own.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("what the proxy runs on", () => {
  it("covers pages and the API but not Meta's webhooks or static files", async () => {
    const { config } = await import("@/proxy");
    const runsOn = (path: string) => unstable_doesMiddlewareMatch({ config, url: path });
    expect(runsOn("/login")).toBe(true);
    expect(runsOn("/inbox")).toBe(true);
    expect(runsOn("/api/conversations")).toBe(true);
    expect(runsOn("/api/webhooks/whatsapp")).toBe(false);
    expect(runsOn("/_next/static/chunks/main.js")).toBe(false);
  });
});
