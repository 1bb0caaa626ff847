import { randomBytes } from "node:crypto";
import { z } from "zod";

// Failure injection: "the next N calls (optionally of one route / one account) fail with X". Rules are
// consumed in creation order; a call consumes at most one rule.

export const FAILURE_KINDS = [
  "expired_token",
  "invalid_token",
  "rate_limit_app",
  "rate_limit_user",
  "rate_limit_page",
  "rate_limit_api",
  "outside_window",
  "whatsapp_reengagement",
  "whatsapp_undeliverable",
  "whatsapp_throughput",
  "server_error",
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** Kinds WhatsApp reports through a failed status webhook after accepting the send. */
export const ASYNC_WHATSAPP_FAILURES = new Set<FailureKind>(["whatsapp_reengagement", "whatsapp_undeliverable"]);

export const failureRuleInput = z
  .object({
    kind: z.enum(FAILURE_KINDS),
    count: z.number().int().min(1).max(100_000).default(1),
    /** "METHOD /path/pattern" or "/path/pattern" without the version prefix; `*` matches one segment, `**` any rest. */
    route: z.string().min(1).optional(),
    /** A Page, Instagram account, phone number or WhatsApp Business account id the call is about. */
    account: z.string().min(1).optional(),
    /** HTTP status for server_error (500, 502, 503). */
    status: z.union([z.literal(500), z.literal(502), z.literal(503)]).default(500),
  })
  .strict();
export type FailureRuleInput = z.input<typeof failureRuleInput>;

export interface FailureRule {
  id: string;
  kind: FailureKind;
  remaining: number;
  consumed: number;
  route: string | null;
  account: string | null;
  status: 500 | 502 | 503;
}

export interface CallInfo {
  method: string;
  /** Path without the version prefix, e.g. /106100000000001/messages */
  path: string;
  /** Accounts the call is about (path object, token subject). */
  accounts: string[];
}

export class FailureInjector {
  private rules: FailureRule[] = [];

  add(input: FailureRuleInput): FailureRule {
    const parsed = failureRuleInput.parse(input);
    const rule: FailureRule = {
      id: `flt_${randomBytes(5).toString("hex")}`,
      kind: parsed.kind,
      remaining: parsed.count,
      consumed: 0,
      route: parsed.route ?? null,
      account: parsed.account ?? null,
      status: parsed.status,
    };
    this.rules.push(rule);
    return rule;
  }

  list(): FailureRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  clear(): void {
    this.rules = [];
  }

  /** Consumes and returns the first rule matching the call, if any, and only among the allowed kinds. */
  take(call: CallInfo, allowed?: (kind: FailureKind) => boolean): FailureRule | undefined {
    const rule = this.rules.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (!allowed || allowed(candidate.kind)) &&
        (!candidate.account || call.accounts.includes(candidate.account)) &&
        (!candidate.route || routeMatches(candidate.route, call.method, call.path)),
    );
    if (!rule) return undefined;
    rule.remaining--;
    rule.consumed++;
    if (rule.remaining === 0) this.rules = this.rules.filter((candidate) => candidate !== rule);
    return { ...rule };
  }
}

export function routeMatches(pattern: string, method: string, path: string): boolean {
  const match = /^(?:([A-Z]+)\s+)?(\/.*)$/.exec(pattern.trim());
  if (!match) return false;
  const [, wantedMethod, wantedPath = ""] = match;
  if (wantedMethod && wantedMethod !== method.toUpperCase()) return false;
  const want = wantedPath
    .replace(/^\/v\d+(\.\d+)?(?=\/)/, "")
    .split("/")
    .filter(Boolean);
  const have = path.split("/").filter(Boolean);
  for (let i = 0; i < want.length; i++) {
    const part = want[i];
    if (part === "**") return true;
    if (i >= have.length) return false;
    if (part !== "*" && part !== have[i]) return false;
  }
  return want.length === have.length;
}
