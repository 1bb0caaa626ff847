// Browser-side calls to our own API (the session cookie authenticates). Errors keep the contract's
// envelope so forms can show field messages.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: { issues?: { path: string; message: string }[] } & Record<string, unknown>,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** Field → first message, from a 400's zod issues. */
  fieldErrors(): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const issue of this.details?.issues ?? []) fields[issue.path] ??= issue.message;
    return fields;
  }
}

export async function apiFetch<T>(
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers:
        init.body === undefined
          ? { accept: "application/json" }
          : { accept: "application/json", "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: "same-origin",
      signal: init.signal,
    });
  } catch (cause) {
    if ((cause as Error).name === "AbortError") throw cause;
    throw new ApiError(0, "network_error", "Chats could not be reached. Check your connection and try again.");
  }
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => ({}))) as {
    error?: { code: string; message: string; details?: ApiError["details"] };
  };
  if (!response.ok) {
    throw new ApiError(
      response.status,
      body.error?.code ?? "unknown_error",
      body.error?.message ?? `Request failed (${response.status}).`,
      body.error?.details,
    );
  }
  return body as T;
}
