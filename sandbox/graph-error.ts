import { randomBytes } from "node:crypto";

// Graph API error objects as documented in "Handling Errors" (developers.facebook.com/docs/graph-api/guides/error-handling)
// and the Messenger / WhatsApp Cloud API error code pages: {"error": {message, type, code, error_subcode?, fbtrace_id}}.

export interface GraphErrorBody {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
  error_data?: Record<string, unknown>;
  fbtrace_id: string;
}

export class GraphError extends Error {
  readonly body: GraphErrorBody;

  constructor(
    readonly status: number,
    body: Omit<GraphErrorBody, "fbtrace_id" | "type"> & { type?: string },
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
    this.name = "GraphError";
    this.body = { type: "OAuthException", ...body, fbtrace_id: fbtraceId() };
  }

  toJSON(): { error: GraphErrorBody } {
    return { error: this.body };
  }
}

export function fbtraceId(): string {
  return randomBytes(8).toString("base64").replace(/=+$/, "").slice(0, 11);
}

const formatExpiry = (date: Date) => date.toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, "$1, $2-$3-$4 $5 UTC");

export const graphErrors = {
  /** Graph API: an access token is required (no token at all). */
  tokenRequired: () => new GraphError(400, { message: "An access token is required to request this resource.", code: 104 }),
  /** Graph API "Access Token Errors": the token cannot be parsed or its signature is wrong. */
  invalidToken: (status = 400) =>
    new GraphError(
      status,
      { message: "Invalid OAuth access token - Cannot parse access token", code: 190 },
      {
        "WWW-Authenticate": 'OAuth "Facebook Platform" "invalid_token" "Invalid OAuth access token - Cannot parse access token"',
      },
    ),
  /** Graph API: subcode 463, the token expired. */
  expiredToken: (expiredAt: Date, now: Date, status = 400) => {
    const message = `Error validating access token: Session has expired on ${formatExpiry(expiredAt)}. The current time is ${formatExpiry(now)}.`;
    return new GraphError(
      status,
      { message, code: 190, error_subcode: 463 },
      { "WWW-Authenticate": `OAuth "Facebook Platform" "invalid_token" "${message}"` },
    );
  },
  /** Graph API: subcode 460, the session was invalidated (password change, security). */
  revokedToken: (status = 400) =>
    new GraphError(status, {
      message:
        "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.",
      code: 190,
      error_subcode: 460,
    }),
  /** Graph API: a Page access token is needed for Page messaging and conversations. */
  pageTokenRequired: () =>
    new GraphError(400, { message: "(#210) A page access token is required to request this resource.", code: 210 }),
  /** Graph API: the object is unknown or not visible to this token (code 100, subcode 33). */
  unsupported: (method: string, id: string) =>
    new GraphError(400, {
      message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      type: "GraphMethodException",
      code: 100,
      error_subcode: 33,
    }),
  /** Graph API: unknown path component. */
  unknownPath: (component: string) => new GraphError(400, { message: `Unknown path components: /${component}`, code: 2500 }),
  nonexistingField: (field: string, nodeType: string) =>
    new GraphError(400, { message: `(#100) Tried accessing nonexisting field (${field}) on node type (${nodeType})`, code: 100 }),
  invalidParameter: (message: string, subcode?: number) =>
    new GraphError(400, { message: `(#100) ${message}`, code: 100, ...(subcode ? { error_subcode: subcode } : {}) }),
  /** Messenger Platform error codes: 10 / 2018278, outside the 24-hour standard messaging window. */
  messengerOutsideWindow: () =>
    new GraphError(400, {
      message:
        "(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview",
      code: 10,
      error_subcode: 2018278,
    }),
  /** Instagram Messaging: the same window rule, reported with subcode 2534022. */
  instagramOutsideWindow: () =>
    new GraphError(400, {
      message: "(#10) This message is sent outside of allowed window.",
      code: 10,
      error_subcode: 2534022,
      error_user_title: "Message not sent",
      error_user_msg: "This message is sent outside of allowed window.",
    }),
  /** Messenger Platform error codes: 100 / 2018001, no matching user. */
  noMatchingUser: () => new GraphError(400, { message: "(#100) No matching user found", code: 100, error_subcode: 2018001 }),
  /** Graph API rate limiting: code 4, application request limit (X-App-Usage). */
  appRateLimit: (status = 400) =>
    new GraphError(
      status,
      { message: "(#4) Application request limit reached", code: 4, is_transient: true },
      { "X-App-Usage": JSON.stringify({ call_count: 100, total_cputime: 64, total_time: 87 }) },
    ),
  /** Graph API rate limiting: code 17, user request limit. */
  userRateLimit: () =>
    new GraphError(
      400,
      { message: "(#17) User request limit reached", code: 17, is_transient: true },
      { "X-App-Usage": JSON.stringify({ call_count: 100, total_cputime: 40, total_time: 52 }) },
    ),
  /** Graph API rate limiting: code 32, Page request limit (Business Use Case header). */
  pageRateLimit: (objectId: string) =>
    new GraphError(
      400,
      { message: "(#32) Page request limit reached", code: 32, is_transient: true },
      { "X-Business-Use-Case-Usage": bucUsage(objectId, "pages") },
    ),
  /** Messenger Platform error codes: 613, calls to this API exceeded the rate limit. */
  apiRateLimit: (objectId: string) =>
    new GraphError(
      400,
      { message: "(#613) Calls to this api have exceeded the rate limit.", code: 613, is_transient: true },
      { "X-Business-Use-Case-Usage": bucUsage(objectId, "messenger") },
    ),
  /** Graph API: code 2, a transient server-side failure. */
  serverError: (status = 500) =>
    new GraphError(status, {
      message: "An unexpected error has occurred. Please retry your request later.",
      code: 2,
      is_transient: true,
    }),
};

function bucUsage(objectId: string, type: string): string {
  return JSON.stringify({
    [objectId]: [{ type, call_count: 100, total_cputime: 23, total_time: 41, estimated_time_to_regain_access: 5 }],
  });
}

/** WhatsApp Cloud API error codes page: the errors the sandbox produces, with title and details. */
export const whatsappErrorCatalog = {
  131047: {
    title: "Re-engagement message",
    details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
  },
  131026: {
    title: "Message Undeliverable",
    details: "Message failed to send because of an unknown error with the recipient's phone number or WhatsApp client.",
  },
  130429: { title: "Rate limit hit", details: "Cloud API message throughput has been reached." },
  132001: { title: "Template name does not exist in the translation", details: "template name or language does not exist" },
} as const;

export type WhatsAppErrorCode = keyof typeof whatsappErrorCatalog;

/** The object WhatsApp puts in a failed status webhook's `errors` array. */
export function whatsappWebhookError(code: WhatsAppErrorCode) {
  const entry = whatsappErrorCatalog[code];
  return {
    code,
    title: entry.title,
    message: entry.title,
    error_data: { details: entry.details },
    href: "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
  };
}

/** A synchronous Cloud API error response (error_data.details, no subcode since v16.0). */
export function whatsappSyncError(code: WhatsAppErrorCode, status = 400, details?: string): GraphError {
  const entry = whatsappErrorCatalog[code];
  return new GraphError(status, {
    message: `(#${code}) ${entry.title}`,
    code,
    error_data: { messaging_product: "whatsapp", details: details ?? entry.details },
  });
}
