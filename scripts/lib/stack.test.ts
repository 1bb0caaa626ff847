import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EnvError } from "@/lib/env";
import { resolveStackEnv } from "./stack";

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
      resolveStackEnv("production", { DATA_DIR, DATABASE_URL: "postgres://u:p@db.example.com/chats" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvError);
    const problems = (error as EnvError).problems;
    expect(problems.some((line) => line.startsWith("AUTH_SECRET is required"))).toBe(true);
    expect(problems.some((line) => line.startsWith("TOKEN_ENCRYPTION_KEY is required"))).toBe(true);
    expect(fs.existsSync(path.join(DATA_DIR, "secrets.json"))).toBe(false);
  });

  it("does not invent a Meta app secret once a real Meta app is configured", () => {
    expect(() => resolveStackEnv("development", { DATA_DIR: dataDir(), META_APP_ID: "123456" })).toThrow(
      /META_APP_SECRET is required/,
    );
  });
});
