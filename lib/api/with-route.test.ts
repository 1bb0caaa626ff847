import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { readJson } from "@/lib/api/input";
import { withRoute } from "@/lib/api/with-route";
import { AppError } from "@/lib/errors";

const context = { params: Promise.resolve({}) };

function request(init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
  return new NextRequest("http://localhost/api/test", init);
}

async function call(handler: ReturnType<typeof withRoute>, req = request()) {
  const response = await handler(req, context);
  return { response, body: (await response.json()) as Record<string, unknown> };
}

describe("withRoute", () => {
  it("maps an AppError to its status and the contract's envelope", async () => {
    const route = withRoute({ auth: "none", scope: "test" }, async () => {
      throw new AppError("email_taken", "That email is already registered.");
    });
    const { response, body } = await call(route);
    expect(response.status).toBe(409);
    expect(body).toEqual({ error: { code: "email_taken", message: "That email is already registered." } });
  });

  it("answers 400 with the zod issues in details for invalid input", async () => {
    const schema = z.object({ email: z.email(), password: z.string().min(8) });
    const route = withRoute({ auth: "none", scope: "test" }, async ({ req }) => Response.json(await readJson(req, schema)));
    const { response, body } = await call(
      route,
      request({ method: "POST", body: JSON.stringify({ email: "nope", password: "short" }) }),
    );
    expect(response.status).toBe(400);
    const error = body.error as { code: string; details: { issues: { path: string }[] } };
    expect(error.code).toBe("validation_failed");
    expect(error.details.issues.map((issue) => issue.path).sort()).toEqual(["email", "password"]);
  });

  it("answers 400 invalid_json for a body that is not JSON", async () => {
    const route = withRoute({ auth: "none", scope: "test" }, async ({ req }) => Response.json(await readJson(req, z.object({}))));
    const { response, body } = await call(route, request({ method: "POST", body: "{not json" }));
    expect(response.status).toBe(400);
    expect((body.error as { code: string }).code).toBe("invalid_json");
  });

  it("answers 413 for a body over the limit", async () => {
    const route = withRoute({ auth: "none", scope: "test" }, async ({ req }) =>
      Response.json(await readJson(req, z.unknown(), 1024)),
    );
    const { response, body } = await call(route, request({ method: "POST", body: JSON.stringify({ text: "x".repeat(2048) }) }));
    expect(response.status).toBe(413);
    expect((body.error as { code: string }).code).toBe("payload_too_large");
  });

  it("hides the details of an unexpected error behind a generic 500", async () => {
    const route = withRoute({ auth: "none", scope: "test" }, async () => {
      throw new Error('relation "secret_table" does not exist at password=hunter2');
    });
    const { response, body } = await call(route);
    expect(response.status).toBe(500);
    expect(body).toEqual({ error: { code: "internal_error", message: "Something went wrong on our side." } });
    expect(JSON.stringify(body)).not.toContain("secret_table");
  });

  it("answers 503 when the database cannot be reached", async () => {
    const route = withRoute({ auth: "none", scope: "test" }, async () => {
      throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    });
    const { response, body } = await call(route);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect((body.error as { code: string }).code).toBe("service_unavailable");
  });

  it("answers 401 on a protected route without credentials", async () => {
    const route = withRoute({ auth: "required", scope: "test" }, async () => Response.json({ ok: true }));
    const { response, body } = await call(route);
    expect(response.status).toBe(401);
    expect((body.error as { code: string }).code).toBe("unauthorized");
  });

  it("echoes a well-formed request id and mints one otherwise", async () => {
    const route = withRoute({ auth: "none", scope: "test" }, async ({ requestId }) => Response.json({ requestId }));
    const echoed = await call(route, request({ headers: { "x-request-id": "req-12345678" } }));
    expect(echoed.response.headers.get("x-request-id")).toBe("req-12345678");
    expect(echoed.body.requestId).toBe("req-12345678");

    const minted = await call(route, request({ headers: { "x-request-id": "<script>" } }));
    expect(minted.response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("puts the request id on error responses too", async () => {
    const route = withRoute({ auth: "none", scope: "test" }, async () => {
      throw AppError.notFound("Conversation");
    });
    const { response, body } = await call(route, request({ headers: { "x-request-id": "req-abcdefgh" } }));
    expect(response.status).toBe(404);
    expect(response.headers.get("x-request-id")).toBe("req-abcdefgh");
    expect(body).toEqual({ error: { code: "not_found", message: "Conversation not found." } });
  });
});
