import "server-only";
import pino, { type Logger } from "pino";
import pretty from "pino-pretty";
import { env } from "@/lib/env";

export type { Logger };

// Anything that could carry a credential or a customer's words. Applied at any depth we log at.
const redactedKeys = [
  "password",
  "passwordHash",
  "token",
  "accessToken",
  "access_token",
  "refreshToken",
  "refresh_token",
  "clientSecret",
  "client_secret",
  "appSecret",
  "authorization",
  "cookie",
  "text",
  "body",
];
const redactPaths = redactedKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

// Drizzle's query errors append the bound parameters (message text, tokens) to their message and
// stack; only the SQL and Postgres's own reason may reach a log.
const PARAMS = /\nparams: [\s\S]*?(?=\n {4}at |$)/g;

export function serializeError(error: unknown): Record<string, unknown> {
  const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  for (const key of ["message", "stack"]) {
    const value = serialized[key];
    if (typeof value === "string") serialized[key] = value.replace(PARAMS, "\nparams: [redacted]");
  }
  return serialized;
}

/**
 * A logger with the app's level, redaction and error serializer. `destination` replaces stdout, so
 * a test can read exactly what the process would have logged.
 */
export function createLogger(destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: env.LOG_LEVEL,
    base: { service: "app" },
    redact: { paths: redactPaths, censor: "[redacted]" },
    serializers: { err: serializeError },
  };
  if (destination) return pino(options, destination);
  if (env.NODE_ENV === "production") return pino(options);
  // Pretty printing as a synchronous stream, not a worker transport: bundlers cannot load transports.
  return pino(options, pretty({ colorize: true, sync: true, ignore: "pid,hostname,service", translateTime: "HH:MM:ss.l" }));
}

// One instance per process, even when a bundle loads this module twice; a test may put a
// capturing `createLogger(destination)` here before the first log call.
const globalForLogger = globalThis as unknown as { chatsLogger?: Logger };

/** The process-wide logger; use `logger.child({ scope })` for anything specific. */
export const logger: Logger = new Proxy({} as Logger, {
  get(_target, key) {
    globalForLogger.chatsLogger ??= createLogger();
    const value = Reflect.get(globalForLogger.chatsLogger, key) as unknown;
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(globalForLogger.chatsLogger) : value;
  },
});
