import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EnvError } from "@/lib/env";
import { resolveStackEnv, SANDBOX_APP_ID } from "./stack";

const dirs: string[] = [];
function dataDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chats-stack-"));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("resolveStackEnv", () => {
  it("lets a newcomer start development with nothing set, generating secrets once and reusing them", () => {
    const DATA_DIR = dataDir();
    const first = resolveStackEnv("development", { DATA_DIR });
    const second = resolveStackEnv("development", { DATA_DIR });
    expect(first.embedded).toBe(true);
    expect(first.env.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(second.env.AUTH_SECRET).toBe(first.env.AUTH_SECRET);
    expect(second.postgresPassword).toBe(first.postgresPassword);
    expect(fs.statSync(path.join(DATA_DIR, "secrets.json")).mode & 0o077).toBe(0);
  });

  it("never overrides a secret that was given", () => {
    const result = resolveStackEnv("development", {
      DATA_DIR: dataDir(),
      AUTH_SECRET: "given-secret-given-secret-given-secret!",
    });
    expect(result.env.AUTH_SECRET).toBe("given-secret-given-secret-given-secret!");
  });

  it("refuses to start production against a real database without real secrets", () => {
    const DATA_DIR = dataDir();
    let error: unknown;
    try {
      resolveStackEnv("production", { DATA_DIR, DATABASE_URL: "postgres://u:p@db.example.com/chats", META_APP_ID: "123456" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvError);
    const problems = (error as EnvError).problems;
    expect(problems.some((line) => line.startsWith("AUTH_SECRET is required"))).toBe(true);
    expect(problems.some((line) => line.startsWith("TOKEN_ENCRYPTION_KEY is required"))).toBe(true);
    expect(problems.some((line) => line.startsWith("META_APP_SECRET is required"))).toBe(true);
    expect(fs.existsSync(path.join(DATA_DIR, "secrets.json"))).toBe(false);
  });

  it("does not invent a Meta app secret once a real Meta app is configured", () => {
    expect(() => resolveStackEnv("development", { DATA_DIR: dataDir(), META_APP_ID: "123456" })).toThrow(
      /META_APP_SECRET is required/,
    );
  });
});

describe("resolveStackEnv with and without a Meta app", () => {
  it("points the app at the local sandbox when no META_APP_ID is set", () => {
    const result = resolveStackEnv("development", { DATA_DIR: dataDir(), SANDBOX_PORT: "3999" });
    expect(result.sandboxPort).toBe(3999);
    expect(result.env.META_GRAPH_API_URL).toBe("http://127.0.0.1:3999");
    expect(result.env.META_OAUTH_DIALOG_URL).toBe("http://127.0.0.1:3999");
    expect(result.env.META_APP_ID).toBe(SANDBOX_APP_ID);
  });

  it("uses Meta as configured once META_APP_ID is set", () => {
    const result = resolveStackEnv("development", {
      DATA_DIR: dataDir(),
      META_APP_ID: "123",
      META_APP_SECRET: "real-secret-from-meta",
    });
    expect(result.sandboxPort).toBeNull();
    expect(result.env.META_GRAPH_API_URL).toBe("https://graph.facebook.com");
    expect(result.env.META_APP_SECRET).toBe("real-secret-from-meta");
  });

  it("still runs the sandbox for production against a real database, with local Meta secrets only", () => {
    const result = resolveStackEnv("production", {
      DATA_DIR: dataDir(),
      DATABASE_URL: "postgres://u:p@db.example.com/chats",
      AUTH_SECRET: "a-real-secret-a-real-secret-a-real-secret",
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString("base64"),
    });
    expect(result.sandboxPort).toBe(3002);
    expect(result.env.AUTH_SECRET).toBe("a-real-secret-a-real-secret-a-real-secret");
    expect(result.env.META_APP_SECRET.length).toBeGreaterThanOrEqual(16);
  });
});
