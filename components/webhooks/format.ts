import type { WebhookEvent, WebhookEventSummary } from "@/db/schema";

// Words for Settings → Webhooks: what a delivery held and how processing went.

export type WebhookEventStatus = WebhookEvent["status"];

export const WEBHOOK_PAGE_SIZE = 25;

const kindWords: Record<string, [string, string]> = {
  message: ["message", "messages"],
  status: ["status", "statuses"],
  watermark: ["receipt", "receipts"],
  reaction: ["reaction", "reactions"],
  message_edit: ["edit", "edits"],
  message_delete: ["deletion", "deletions"],
  contact_activity: ["customer action", "customer actions"],
};

/** "2 messages, 1 status" from the counts per kind; unknown kinds keep their own name. */
export function describeKinds(summary: WebhookEventSummary | null, status: WebhookEventStatus): string {
  if (!summary) return status === "pending" ? "Not processed yet" : "Nothing recognised";
  const parts = Object.entries(summary.kinds)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => {
      const [one, many] = kindWords[kind] ?? [kind.replace(/_/g, " "), kind.replace(/_/g, " ")];
      return `${count} ${count === 1 ? one : many}`;
    });
  return parts.length ? parts.join(", ") : "Nothing for the inbox";
}

/** Side notes of a processed delivery: accounts nobody connected here, parts ignored or not understood. */
export function summaryNotes(summary: WebhookEventSummary | null): string[] {
  if (!summary) return [];
  const notes: string[] = [];
  if (summary.unrouted.length) {
    const count = summary.unrouted.length;
    notes.push(
      `${count} ${count === 1 ? "entry was" : "entries were"} for an account not connected to Chats (${summary.unrouted.join(", ")})`,
    );
  }
  if (summary.ignored.length) notes.push(`Ignored: ${summary.ignored.map((part) => part.reason).join("; ")}`);
  if (summary.rejected.length) notes.push(`Not understood: ${summary.rejected.map((part) => part.reason).join("; ")}`);
  return notes;
}

export const statusStyles: Record<WebhookEventStatus, { label: string; className: string }> = {
  processed: { label: "Processed", className: "bg-emerald-50 text-emerald-700 ring-emerald-200" },
  failed: { label: "Failed", className: "bg-red-50 text-red-700 ring-red-200" },
  ignored: { label: "Ignored", className: "bg-slate-100 text-slate-600 ring-slate-200" },
  pending: { label: "Pending", className: "bg-amber-50 text-amber-800 ring-amber-200" },
  rejected: { label: "Rejected", className: "bg-red-50 text-red-800 ring-red-300" },
};

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Date and time; `timeZone` undefined means the browser's own zone (after hydration). */
export function formatWhen(iso: string, timeZone: string | undefined): string {
  const text = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone }).format(new Date(iso));
  return timeZone === "UTC" ? `${text} UTC` : text;
}

/**
 * The raw body for reading: indented JSON (Meta's \uXXXX escapes decoded) when it parses, else the
 * string as stored. Always shown as text, never interpreted as HTML.
 */
export function prettyPayload(raw: string): { text: string; formatted: boolean } {
  try {
    return { text: JSON.stringify(JSON.parse(raw), null, 2), formatted: true };
  } catch {
    return { text: raw, formatted: false };
  }
}
