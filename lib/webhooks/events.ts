import type { MessageStatus, MessageType, Platform } from "@/db/schema/enums";

// What the per-platform parsers turn Meta's payloads into, and what ingest applies. Times are the
// platform's own timestamps, never arrival times.

export interface NormalizedAttachment {
  type:
    "image" | "video" | "audio" | "file" | "sticker" | "location" | "contact" | "share" | "story" | "fallback" | "unsupported";
  /** Meta's URL (expires within minutes on Messenger/Instagram); null for WhatsApp media, fetched by id. */
  url: string | null;
  mimeType: string | null;
  name: string | null;
  /** WhatsApp media id, fetched through GET /{media-id}. */
  mediaId?: string | null;
  sha256?: string | null;
  isVoice?: boolean;
}

export interface NormalizedContact {
  /** PSID (Messenger), IGSID (Instagram), wa_id or business-scoped user id (WhatsApp). */
  externalId: string;
  name?: string | null;
  username?: string | null;
}

export interface NormalizedMessage {
  externalId: string;
  direction: "incoming" | "outgoing";
  type: MessageType;
  /** Text or caption, byte for byte as sent; for interactive replies, the visible title. */
  text: string | null;
  /** Button payload / list-reply id, story, referral, location, contacts… whatever the type carries. */
  payload: Record<string, unknown> | null;
  attachments: NormalizedAttachment[];
  replyToExternalId: string | null;
  sentAt: Date;
  /**
   * For outgoing messages seen as echoes: Meta's `app_id` when it says which app sent it. An echo
   * whose app id is not ours (or is absent) was sent from Meta's own apps: `sentFrom: "native"`.
   */
  appId?: string | null;
  /** True when this is an echo of a message the business sent. */
  isEcho: boolean;
}

export type NormalizedEvent =
  | { kind: "message"; contact: NormalizedContact; message: NormalizedMessage }
  /** Delivery/read/failure of one message we sent (WhatsApp statuses, Instagram `read.mid`). */
  | {
      kind: "status";
      contact: NormalizedContact | null;
      messageExternalId: string;
      status: Extract<MessageStatus, "sent" | "delivered" | "read" | "failed">;
      at: Date;
      error?: { code: string; message: string; platformCode?: number | string | null } | null;
    }
  /** Messenger delivery/read: every outgoing message up to `watermark` (plus any listed `mids`). */
  | {
      kind: "watermark";
      contact: NormalizedContact;
      status: "delivered" | "read";
      watermark: Date;
      messageExternalIds: string[];
      at: Date;
    }
  /** A reaction added (`emoji`) or withdrawn (`emoji: null`) on a message. */
  | {
      kind: "reaction";
      contact: NormalizedContact;
      messageExternalId: string;
      emoji: string | null;
      from: "customer" | "business";
      at: Date;
    }
  | { kind: "message_edit"; contact: NormalizedContact; messageExternalId: string; text: string | null; at: Date }
  | { kind: "message_delete"; contact: NormalizedContact; messageExternalId: string; at: Date }
  /** A window-opening action that is not a message (e.g. a Messenger referral or opt-in). */
  | { kind: "contact_activity"; contact: NormalizedContact; at: Date; payload: Record<string, unknown> | null };

/** Everything Meta sent for one account (page, Instagram account or WhatsApp phone number). */
export interface NormalizedEntry {
  platform: Platform;
  /** Page id, Instagram account id or WhatsApp `phone_number_id`: routes the entry to a platform account. */
  accountExternalId: string;
  events: NormalizedEvent[];
  /** Parts of the entry we recognised but do not act on (kept in the raw event; logged). */
  ignored: { reason: string; path: string }[];
  /** Parts that did not match the documented shape (kept in the raw event; recorded as an error). */
  rejected: { reason: string; path: string }[];
}

export interface ParseResult {
  /** Meta's top-level `object`: page, instagram or whatsapp_business_account. */
  object: string | null;
  entries: NormalizedEntry[];
  /** Problems outside any entry (wrong `object`, no `entry` array). */
  rejected: { reason: string; path: string }[];
}
