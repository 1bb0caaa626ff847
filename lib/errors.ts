// The one error type of the app. Each code maps to the HTTP status API.md gives it.

export const errorStatus = {
  bad_request: 400,
  validation_failed: 400,
  invalid_json: 400,
  invalid_token: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  invalid_signature: 401,
  invalid_refresh_token: 401,
  refresh_token_reused: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  email_taken: 409,
  platform_already_connected: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  outside_messaging_window: 422,
  platform_rejected: 422,
  rate_limited: 429,
  internal_error: 500,
  platform_unavailable: 502,
  service_unavailable: 503,
  database_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface AppErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
  /** Extra response headers, e.g. Retry-After for rate limits. */
  headers?: Record<string, string>;
}

export class AppError extends Error {
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.status = errorStatus[code];
    this.details = options.details;
    this.headers = options.headers;
  }

  static notFound(what = "Resource") {
    return new AppError("not_found", `${what} not found.`);
  }

  static unauthorized(message = "Sign in or send a valid bearer token.") {
    return new AppError("unauthorized", message);
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export function errorBody(code: string, message: string, details?: Record<string, unknown>): ErrorBody {
  return { error: details ? { code, message, details } : { code, message } };
}
