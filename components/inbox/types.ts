import type { Platform } from "@/db/schema/enums";
import type { ConversationDto, MessageDto } from "@/lib/messaging/serialize";

// The inbox's client-side shapes: the API's DTOs (type-only imports, erased at build) plus what the
// browser adds while a send is in flight.

export type Conversation = ConversationDto;
export type Message = MessageDto;
export type { Platform };

/** What was posted to POST /api/messages, kept so a send that never reached the server can be retried. */
export type SendBody =
  | { conversationId: string; text: string }
  | { conversationId: string; attachment: { type: "image" | "video" | "audio" | "file"; url: string } }
  | { conversationId: string; template: { name: string; language: string; components?: TemplateComponent[] } };

export interface TemplateComponent {
  type: "body";
  parameters: { type: "text"; text: string; parameter_name?: string }[];
}

/** A message in a thread; `local` ones exist only in this tab (optimistic sends not yet stored by the server). */
export interface ThreadMessage extends Message {
  local?: { body: SendBody };
}

export interface Filters {
  platform: Platform | null;
  unread: boolean;
  archived: boolean;
  q: string;
}

export interface PlatformSummary {
  platform: Platform;
  conversations: number;
  unread: number;
}

export interface Summary {
  platforms: PlatformSummary[];
  totalUnread: number;
}

export interface WhatsAppTemplate {
  name: string;
  language: string;
  category: string | null;
  /** The body text with its {{n}} placeholders (null when the template has no body text). */
  body: string | null;
}
