import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";

const valid = {
  AUTH_SECRET: "a".repeat(40),
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
  META_APP_SECRET: "0123456789abcdef0123",
  META_WEBHOOK_VERIFY_TOKEN: "verify-me-please",
};

function problemsOf(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe("parseEnv", () => {
  it("accepts a minimal configuration and fills in the documented defaults", () => {
    const env = parseEnv(valid);
    expect(env.META_GRAPH_API_URL).toBe("https://graph.facebook.com");
    expect(env.META_OAUTH_DIALOG_URL).toBe("https://www.facebook.com");
    expect(env.REALTIME_URL).toBe("http://localhost:3001");
    expect(env.REALTIME_PORT).toBe(3001);
    expect(env.JWT_ACCESS_TTL).toBe(900);
    expect(env.JWT_REFRESH_TTL).toBe(604_800);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.LOG_LEVEL).toBe("info");
  });

  it("names a missing secret on its own line with a hint", () => {
    const { AUTH_SECRET: _omitted, ...rest } = valid;
    const problems = problemsOf(rest);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^AUTH_SECRET is required/);
    expect(problems[0]).toContain("openssl rand");
  });

  it("treats an empty string as unset", () => {
    expect(problemsOf({ ...valid, AUTH_SECRET: "" })[0]).toMatch(/^AUTH_SECRET is required/);
    expect(parseEnv({ ...valid, DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
    expect(parseEnv({ ...valid, JWT_ACCESS_TTL: "  " }).JWT_ACCESS_TTL).toBe(900);
  });

  it("reports every bad variable, one line each", () => {
    const problems = problemsOf({ ...valid, DATABASE_URL: "mysql://x", REALTIME_PORT: "99999", META_GRAPH_API_VERSION: "25" });
    expect(problems).toHaveLength(3);
    expect(problems.some((line) => line.startsWith("DATABASE_URL must be a postgres:// URL"))).toBe(true);
    expect(problems.some((line) => line.startsWith("REALTIME_PORT "))).toBe(true);
    expect(problems.some((line) => line.startsWith("META_GRAPH_API_VERSION must look like v25.0"))).toBe(true);
  });

  it("decodes a key ring whose first key encrypts and refuses keys of the wrong size", () => {
    const second = Buffer.alloc(32, 2).toString("base64");
    const env = parseEnv({ ...valid, TOKEN_ENCRYPTION_KEY: `${valid.TOKEN_ENCRYPTION_KEY}, ${second}` });
    expect(env.TOKEN_ENCRYPTION_KEY).toHaveLength(2);
    expect(env.TOKEN_ENCRYPTION_KEY[0]?.equals(Buffer.alloc(32, 1))).toBe(true);

    const problems = problemsOf({ ...valid, TOKEN_ENCRYPTION_KEY: Buffer.alloc(16).toString("base64") });
    expect(problems).toEqual(["TOKEN_ENCRYPTION_KEY must be one or more comma-separated base64 keys of 32 bytes"]);
  });

  it("refuses the placeholder values of .env.example", () => {
    expect(problemsOf({ ...valid, AUTH_SECRET: "change-me-change-me-change-me-change-me" })[0]).toMatch(
      /^AUTH_SECRET still holds the placeholder/,
    );
  });

  it("lets the Instagram app secret default to the Meta app secret", () => {
    expect(parseEnv(valid).INSTAGRAM_APP_SECRET).toBe(valid.META_APP_SECRET);
    expect(parseEnv({ ...valid, INSTAGRAM_APP_SECRET: "instagram-secret-123456" }).INSTAGRAM_APP_SECRET).toBe(
      "instagram-secret-123456",
    );
  });

  it("requires S3 credentials once a bucket is configured", () => {
    const problems = problemsOf({ ...valid, S3_BUCKET: "media" });
    expect(problems).toEqual([
      "S3_ACCESS_KEY_ID is required when S3_BUCKET is set",
      "S3_SECRET_ACCESS_KEY is required when S3_BUCKET is set",
    ]);
  });
});
