import "server-only";
import { ZodError } from "zod";
import { AppError, errorBody } from "@/lib/errors";
import type { Logger } from "@/lib/logger";

// Postgres or network failures that mean "the database is not reachable right now", not a bug.
const unavailableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "57P01",
  "57P02",
  "57P03",
  "53300",
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error; current instanceof Error || isObject(current); current = (current as { cause?: unknown }).cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && unavailableCodes.has(code)) return true;
    const message = (current as { message?: unknown }).message;
    if (
      typeof message === "string" &&
      /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(message)
    )
      return true;
    if (current === (current as { cause?: unknown }).cause) break;
  }
  return false;
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

/** Maps anything thrown by a handler to the contract's error envelope; never leaks internals. */
export function errorResponse(error: unknown, log: Logger, headers: Record<string, string> = {}): Response {
  if (error instanceof AppError) {
    if (error.status >= 500) log.error({ err: error.cause ?? error, code: error.code }, error.message);
    return Response.json(errorBody(error.code, error.message, error.details), {
      status: error.status,
      headers: { ...headers, ...error.headers },
    });
  }
  if (error instanceof ZodError) {
    const issues = error.issues.map((issue) => ({ path: issue.path.join("."), code: issue.code, message: issue.message }));
    return Response.json(errorBody("validation_failed", "The request is invalid.", { issues }), { status: 400, headers });
  }
  if (isDatabaseUnavailable(error)) {
    log.error({ err: error }, "database unavailable");
    return Response.json(errorBody("service_unavailable", "The service is temporarily unavailable; try again shortly."), {
      status: 503,
      headers: { ...headers, "Retry-After": "5" },
    });
  }
  log.error({ err: error }, "unhandled error");
  return Response.json(errorBody("internal_error", "Something went wrong on our side."), { status: 500, headers });
}
