import http from "node:http";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";

const context = { params: Promise.resolve({}) };

async function getHealth() {
  const { GET } = await import("@/app/api/health/route");
  const response = await GET(new NextRequest("http://localhost/api/health"), context);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("GET /api/health", () => {
  const original = process.env.DATABASE_URL;

  afterEach(async () => {
    const { closeDb } = await import("@/db/client");
    await closeDb();
    process.env.DATABASE_URL = original;
    process.env.REALTIME_URL = "http://127.0.0.1:9";
    vi.resetModules();
  });

  it("answers 200 with the database ok, the absent sidecar down and the in-process jobs driver ok", async () => {
    const { status, body } = await getHealth();
    expect(status).toBe(200);
    expect(body).toEqual({ status: "ok", db: "ok", realtime: "down", inngest: "ok" });
  });

  it("reports the realtime sidecar ok when it answers", async () => {
    const sidecar = http.createServer((_req, res) => res.end("ok")).listen(0, "127.0.0.1");
    await new Promise((resolve) => sidecar.once("listening", resolve));
    const address = sidecar.address();
    process.env.REALTIME_URL = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    vi.resetModules();
    try {
      const { body } = await getHealth();
      expect(body.realtime).toBe("ok");
    } finally {
      sidecar.close();
    }
  });

  it("answers 503 with db down when the database is unreachable", async () => {
    process.env.DATABASE_URL = "postgres://postgres:x@127.0.0.1:9/none";
    vi.resetModules();
    const { status, body } = await getHealth();
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: "down", db: "down", error: { code: "database_unavailable" } });
  });
});
