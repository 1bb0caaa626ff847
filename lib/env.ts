import "server-only";
import { z } from "zod";

// The one place that reads process.env. Everything else imports `env` from here.
// Parsing is lazy (first property access) so `next build` can import modules without secrets.

const unset = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

const required = <T extends z.ZodType>(schema: T) => z.preprocess(unset, schema);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unset, schema.optional());
const withDefault = <T extends z.ZodType>(schema: T, fallback: z.input<T>) =>
  z.preprocess(unset, schema.default(fallback as never));

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
const postgresUrl = z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" });
const seconds = z.coerce.number({ error: "must be a number of seconds" }).int().positive();
const port = z.coerce.number({ error: "must be a port number" }).int().min(1).max(65535);

/** A 32-byte AES key in base64; a comma-separated list is a key ring whose first key encrypts. */
const keyRing = z.string().transform((value, ctx) => {
  const keys = value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  const decoded = keys.map((key) => Buffer.from(key, "base64"));
  if (keys.length === 0 || decoded.some((key) => key.length !== 32)) {
    ctx.addIssue({ code: "custom", message: "must be one or more comma-separated base64 keys of 32 bytes" });
    return z.NEVER;
  }
  return decoded;
});

const secretString = (minLength: number) =>
  z
    .string()
    .min(minLength, `must be at least ${minLength} characters`)
    .refine((value) => !/change[-_ ]?me/i.test(value), "still holds the placeholder from .env.example");
const secret = (minLength: number) => required(secretString(minLength));

const envObject = z.object({
  NODE_ENV: withDefault(z.enum(["development", "test", "production"]), "development"),
  LOG_LEVEL: withDefault(z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]), "info"),
  // Multiplies every rate limit; browser test runs raise it because all their users share one IP.
  RATE_LIMIT_SCALE: withDefault(z.coerce.number({ error: "must be a number" }).positive().max(10_000), 1),

  DATABASE_URL: optional(postgresUrl),
  DATA_DIR: withDefault(z.string(), ".data"),
  EMBEDDED_POSTGRES_PORT: withDefault(port, 54329),
  PORT: withDefault(port, 3000),
  APP_URL: withDefault(httpUrl, "http://localhost:3000"),

  AUTH_SECRET: secret(32),
  TOKEN_ENCRYPTION_KEY: required(keyRing),
  JWT_ACCESS_TTL: withDefault(seconds, 900),
  JWT_REFRESH_TTL: withDefault(seconds, 604_800),

  META_APP_ID: optional(z.string().regex(/^\d+$/, "must be the numeric id of your Meta app")),
  META_APP_SECRET: secret(16),
  INSTAGRAM_APP_SECRET: optional(secretString(16)),
  META_WEBHOOK_VERIFY_TOKEN: secret(8),
  META_GRAPH_API_URL: withDefault(httpUrl, "https://graph.facebook.com"),
  META_GRAPH_API_VERSION: withDefault(z.string().regex(/^v\d+\.\d+$/, "must look like v25.0"), "v25.0"),
  META_OAUTH_DIALOG_URL: withDefault(httpUrl, "https://www.facebook.com"),

  REALTIME_URL: withDefault(httpUrl, "http://localhost:3001"),
  REALTIME_PORT: withDefault(port, 3001),
  // Where the app itself reaches the sidecar (health probe) when browsers use another address.
  REALTIME_INTERNAL_URL: optional(httpUrl),

  INNGEST_DEV: optional(z.string()),
  INNGEST_BASE_URL: optional(httpUrl),
  INNGEST_EVENT_KEY: optional(z.string()),
  INNGEST_SIGNING_KEY: optional(z.string()),
  INNGEST_SIGNING_KEY_FALLBACK: optional(z.string()),

  SMTP_URL: optional(z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" })),
  MAIL_FROM: withDefault(z.string(), "Chats <no-reply@localhost>"),

  S3_ENDPOINT: optional(httpUrl),
  S3_BUCKET: optional(z.string()),
  S3_ACCESS_KEY_ID: optional(z.string()),
  S3_SECRET_ACCESS_KEY: optional(z.string()),
  S3_REGION: withDefault(z.string(), "us-east-1"),
});

/** Every variable Chats reads; .env.example documents each one (a test holds them together). */
export const envVariableNames = Object.keys(envObject.shape) as (keyof typeof envObject.shape)[];

export const envSchema = envObject
  .superRefine((value, ctx) => {
    if (value.S3_BUCKET && (!value.S3_ACCESS_KEY_ID || !value.S3_SECRET_ACCESS_KEY)) {
      for (const name of ["S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const) {
        if (!value[name]) ctx.addIssue({ code: "custom", path: [name], message: "is required when S3_BUCKET is set" });
      }
    }
    if (value.NODE_ENV === "production" && value.INNGEST_BASE_URL && !value.INNGEST_DEV && !value.INNGEST_SIGNING_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["INNGEST_SIGNING_KEY"],
        message: "is required in production when INNGEST_BASE_URL is set",
      });
    }
  })
  .transform((value) => ({
    ...value,
    INSTAGRAM_APP_SECRET: value.INSTAGRAM_APP_SECRET ?? value.META_APP_SECRET,
  }));

export type Env = z.output<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "EnvError";
  }
}

const hints: Partial<Record<string, string>> = {
  AUTH_SECRET: "generate one with `openssl rand -base64 32`",
  TOKEN_ENCRYPTION_KEY: "generate one with `openssl rand -base64 32`",
  META_APP_SECRET: "your Meta app's secret (App settings → Basic)",
  META_WEBHOOK_VERIFY_TOKEN: "any string you also enter in Meta's webhook settings",
};

/** Parses an environment; throws EnvError with one line per bad variable, each naming it. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "environment");
    const missing = unset(source[name]) === undefined && issue.code === "invalid_type";
    const hint = hints[name];
    return missing ? `${name} is required${hint ? ` (${hint})` : ""}` : `${name} ${issue.message}`;
  });
  throw new EnvError([...new Set(problems)]);
}

let cached: Env | undefined;

export function loadEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** The parsed environment; parsed once, on first use. */
export const env: Env = new Proxy({} as Env, {
  get: (_target, key) => loadEnv()[key as keyof Env],
});

export const isProduction = () => env.NODE_ENV === "production";

const inngestSchema = envObject.pick({
  INNGEST_DEV: true,
  INNGEST_BASE_URL: true,
  INNGEST_EVENT_KEY: true,
  INNGEST_SIGNING_KEY: true,
  INNGEST_SIGNING_KEY_FALLBACK: true,
});

/**
 * Just the INNGEST_* variables. The Inngest client is built when its module loads, which `next build`
 * does without any secrets; this part of the configuration alone never needs them.
 */
export function inngestEnv(): z.output<typeof inngestSchema> {
  const result = inngestSchema.safeParse(process.env);
  if (!result.success) throw new EnvError(result.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`));
  return result.data;
}
