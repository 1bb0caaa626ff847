import "server-only";
import { z } from "zod";
import type { MessageType } from "@/db/schema/enums";
import type {
  NormalizedAttachment,
  NormalizedContact,
  NormalizedEntry,
  NormalizedEvent,
  NormalizedMessage,
} from "@/lib/webhooks/events";
import {
  childPath,
  compactPayload,
  describeType,
  epochSecondsString,
  errorMessage,
  guarded,
  has,
  isRecord,
  nonEmpty,
  quoted,
  unknownFields,
  zodIssue,
  type Issue,
  type ItemOutcome,
} from "@/lib/webhooks/parse/common";

// WhatsApp Cloud API webhooks arrive with `object: "whatsapp_business_account"`; each `entry[]` is one WhatsApp
// Business Account (WABA) and each `changes[]` element one notification. `field: "messages"` changes carry
// `value.metadata.phone_number_id` (which routes them: one NormalizedEntry per change value, even when Meta
// batches several phone numbers in one entry), `contacts[]`, `messages[]`, `statuses[]` and `errors[]`;
// `field: "smb_message_echoes"` changes carry what the business sent from the WhatsApp Business app. Every
// other field (account_update, message_template_status_update…) is recognised and ignored.
// Timestamps are epoch SECONDS as decimal strings ("1793610000").
//
// Customers are identified by `wa_id` / `from` (their phone number) and, since April 2026, a business-scoped
// user id (BSUID: `user_id` / `from_user_id` / `recipient_user_id`, e.g. "US.13491208655302741918"). A user who
// adopts a WhatsApp username may arrive with no phone number at all (`wa_id`/`from` omitted or empty); the BSUID
// is then the only identifier. https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids

type WhatsAppOutcome = ItemOutcome<NormalizedEvent>;

export const WHATSAPP_OBJECT = "whatsapp_business_account";

// messages webhook reference: { object, entry: [{ id: "<WABA_ID>", changes: [{ field, value }] }] }
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
const entrySchema = z.object({
  // The WABA id only names account-level notifications (see parseChange); messages are routed by phone number.
  id: z.unknown(),
  changes: z.array(z.unknown()),
});

// A change names its webhook field (messages, smb_message_echoes, account_update…) and carries its value.
const changeSchema = z.object({ field: z.string().min(1), value: z.unknown() });

// The value of a `messages` (or `smb_message_echoes`) change: the business phone number it concerns.
const messagesValueSchema = z.object({
  metadata: z.object({
    display_phone_number: z.string().optional(),
    phone_number_id: z.string().min(1),
  }),
});

// `contacts[]` beside messages (and delivered/read statuses): profile name, WhatsApp username, phone, BSUID.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids
const contactSchema = z.object({
  profile: z.object({ name: z.string().optional(), username: z.string().optional() }).optional(),
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
  parent_user_id: z.string().optional(),
});
type WhatsAppContact = z.infer<typeof contactSchema>;

// Error objects of unsupported messages, failed statuses and system-level `value.errors`.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/errors
const errorSchema = z.object({
  code: z.union([z.number(), z.string()]).optional(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.object({ details: z.string().optional() }).optional(),
  // Older API versions put `details` on the error itself (type "unknown" messages).
  details: z.string().optional(),
  href: z.string().optional(),
});
type WhatsAppError = z.infer<typeof errorSchema>;

// What every incoming message has, whatever its type; `context` says what it replies to or that it was
// forwarded, `referral` that it came from a Click to WhatsApp ad.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
const messageBaseSchema = z.object({
  id: z.string().min(1),
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  timestamp: epochSecondsString,
  type: z.string().min(1),
  context: z
    .object({
      id: z.string().optional(),
      from: z.string().optional(),
      forwarded: z.boolean().optional(),
      frequently_forwarded: z.boolean().optional(),
      referred_product: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  referral: z.record(z.string(), z.unknown()).optional(),
  errors: z.array(errorSchema).optional(),
  group_id: z.string().optional(),
});
type MessageBase = z.infer<typeof messageBaseSchema>;

// smb_message_echoes: messages the business sent from the WhatsApp Business app or a linked device
// (coexistence). `from` is the business number, `to` the customer; the content is shaped like a sent message.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/smb_message_echoes
const echoBaseSchema = z.object({
  id: z.string().min(1),
  to: z.string().optional(),
  to_user_id: z.string().optional(),
  timestamp: epochSecondsString,
  type: z.string().min(1),
});

// Content types an echo is ingested with; revokes, edits and anything else are logged as ignored.
const echoContentTypes = new Set(["text", "image", "video", "audio", "document", "sticker", "location", "contacts"]);

// Text messages. https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/text
const textSchema = z.object({ body: z.string() });

// Image, video, audio (`voice: true` for a recorded voice note), document (`filename`) and sticker messages:
// the media is fetched later through GET /{media-id}.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/image
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/audio
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/document
const mediaSchema = z.object({
  id: z.string().min(1),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  voice: z.boolean().optional(),
  animated: z.boolean().optional(),
});

// Location messages; coordinates are documented as numbers, some relays send numeric strings.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/location
const coordinate = z
  .union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)])
  .transform(Number)
  .refine(Number.isFinite, "expected a finite coordinate");
const locationSchema = z.object({
  latitude: coordinate.refine((value) => value >= -90 && value <= 90, "latitude out of range"),
  longitude: coordinate.refine((value) => value >= -180 && value <= 180, "longitude out of range"),
  name: z.string().optional(),
  address: z.string().optional(),
});

// Contacts messages: vCard-like objects, kept as sent (many fields may be omitted by the user's device).
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/contacts
const contactsSchema = z.array(z.record(z.string(), z.unknown())).min(1);

// Interactive replies: reply buttons (`button_reply`), list rows (`list_reply`), WhatsApp Flows (`nfm_reply`).
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/interactive
const interactiveSchema = z.object({
  type: z.string().min(1),
  button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
  list_reply: z.object({ id: z.string(), title: z.string(), description: z.string().optional() }).optional(),
  nfm_reply: z.object({ name: z.string().optional(), body: z.string().optional(), response_json: z.string() }).optional(),
});

// Quick-reply buttons of a template message: the button label and the payload set when sending the template.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/button
const buttonSchema = z.object({ text: z.string(), payload: z.string().optional() });

// Reactions; WhatsApp omits `emoji` (or sends it empty) when the user removes their reaction.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/reaction
const reactionSchema = z.object({ message_id: z.string().min(1), emoji: z.string().optional() });

// Status messages: sent, delivered, read, played (voice note played), failed (with `errors`).
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status
const statusSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: epochSecondsString,
  recipient_id: z.string().optional(),
  recipient_user_id: z.string().optional(),
  recipient_type: z.string().optional(),
  errors: z.array(errorSchema).optional(),
});

// Fields this parser knows at each level; anything else is listed as ignored (see `unknownFields`).
const knownEntryFields = new Set(["id", "time", "changes"]);
const knownChangeFields = new Set(["field", "value"]);
const knownValueFields: Record<"messages" | "smb_message_echoes", ReadonlySet<string>> = {
  messages: new Set(["messaging_product", "metadata", "contacts", "messages", "statuses", "errors"]),
  smb_message_echoes: new Set(["messaging_product", "metadata", "contacts", "message_echoes"]),
};

const statusMap = { sent: "sent", delivered: "delivered", read: "read", played: "read", failed: "failed" } as const;

/**
 * One `entry[]` element: a NormalizedEntry per `changes[]` element (per phone number), or a rejection of the
 * change when it cannot be attributed to any account.
 */
export function parseWhatsAppEntry(entry: unknown, path: string): { entries: NormalizedEntry[]; rejected: Issue[] } {
  const parsed = entrySchema.safeParse(entry);
  if (!parsed.success || !isRecord(entry) || !Array.isArray(entry.changes)) {
    return {
      entries: [],
      rejected: [parsed.success ? { path, reason: "entry is not an object" } : zodIssue(path, "entry", parsed.error)],
    };
  }
  const wabaId = typeof entry.id === "string" && entry.id.length > 0 ? entry.id : null;
  const changes = entry.changes;
  const entries: NormalizedEntry[] = [];
  const rejected: Issue[] = [];
  for (let index = 0; index < changes.length; index += 1) {
    const changePath = childPath(childPath(path, "changes"), index);
    try {
      const result = parseChange(changes[index], changePath, wabaId);
      if ("entry" in result) entries.push(result.entry);
      else rejected.push(result.rejected);
    } catch (error) {
      rejected.push({ path: changePath, reason: `parser failed on this change: ${errorMessage(error)}` });
    }
  }
  // Fields beside `changes` belong to no phone number: they are reported on the first entry this one produced.
  const first = entries[0];
  if (first !== undefined) first.ignored.push(...unknownFields(entry, path, knownEntryFields));
  return { entries, rejected };
}

function emptyEntry(accountExternalId: string): NormalizedEntry {
  return { platform: "whatsapp", accountExternalId, events: [], ignored: [], rejected: [] };
}

function parseChange(change: unknown, path: string, wabaId: string | null): { entry: NormalizedEntry } | { rejected: Issue } {
  const parsed = changeSchema.safeParse(change);
  if (!parsed.success) return { rejected: zodIssue(path, "change", parsed.error) };
  const { field, value } = parsed.data;

  if (field !== "messages" && field !== "smb_message_echoes") {
    // Account-level notifications (account_update, message_template_status_update, phone_number_quality_update,
    // calls…) carry no message for the inbox. They are reported on an entry for the phone number
    // they name, else for the WABA id, so they are logged; such an entry has no events to route.
    const accountId =
      (isRecord(value) && isRecord(value.metadata) ? nonEmpty(stringOrNull(value.metadata.phone_number_id)) : null) ?? wabaId;
    if (accountId === null)
      return { rejected: { path, reason: `${quoted(field)} notification names neither a phone number nor a WABA id` } };
    const entry = emptyEntry(accountId);
    entry.ignored.push({ path, reason: `WhatsApp ${quoted(field)} notifications are not used by the inbox` });
    return { entry };
  }

  const valuePath = childPath(path, "value");
  const valueParsed = messagesValueSchema.safeParse(value);
  if (!valueParsed.success || !isRecord(value)) {
    // Without a phone_number_id nothing in this change can be routed: the change is rejected as a whole.
    return {
      rejected: valueParsed.success
        ? { path, reason: "value is not an object" }
        : zodIssue(path, "messages change", valueParsed.error, valuePath),
    };
  }
  const entry = emptyEntry(valueParsed.data.metadata.phone_number_id);
  if (isRecord(change)) entry.ignored.push(...unknownFields(change, path, knownChangeFields));
  entry.ignored.push(...unknownFields(value, valuePath, knownValueFields[field]));
  const contacts = parseContacts(value, valuePath, entry);

  if (field === "smb_message_echoes") {
    forEachItem(value, "message_echoes", valuePath, entry, (item, itemPath) => parseEcho(item, itemPath, contacts));
    return { entry };
  }
  forEachItem(value, "messages", valuePath, entry, (item, itemPath) => parseMessage(item, itemPath, contacts));
  forEachItem(value, "statuses", valuePath, entry, (item, itemPath) => parseStatus(item, itemPath, contacts));
  forEachItem(value, "errors", valuePath, entry, (item, itemPath) => systemError(item, itemPath));
  return { entry };
}

/**
 * An echo's `to` is the number as the business typed it ("+16505551234"), while incoming `from`/`wa_id` are
 * digits only ("16505551234"): reduce a phone-looking `to` to digits so both name the same contact.
 */
function phoneDigits(value: string | undefined): string | null {
  const phone = nonEmpty(value);
  if (phone === null || !/^\+?[\d\s().-]+$/.test(phone)) return phone;
  return nonEmpty(phone.replace(/\D/g, ""));
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function parseContacts(value: Record<string, unknown>, valuePath: string, entry: NormalizedEntry): WhatsAppContact[] {
  if (!has(value, "contacts")) return [];
  const path = childPath(valuePath, "contacts");
  const list = value.contacts;
  if (!Array.isArray(list)) {
    entry.rejected.push({ path, reason: `contacts is ${describeType(list)}, expected an array` });
    return [];
  }
  const contacts: WhatsAppContact[] = [];
  for (let index = 0; index < list.length; index += 1) {
    const parsed = contactSchema.safeParse(list[index]);
    // A malformed contact only costs the profile name; the messages still carry their sender ids.
    if (parsed.success) contacts.push(parsed.data);
    else entry.rejected.push(zodIssue(childPath(path, index), "contact", parsed.error));
  }
  return contacts;
}

function forEachItem(
  value: Record<string, unknown>,
  key: "messages" | "statuses" | "errors" | "message_echoes",
  valuePath: string,
  entry: NormalizedEntry,
  parse: (item: unknown, path: string) => WhatsAppOutcome,
): void {
  if (!has(value, key)) return;
  const listPath = childPath(valuePath, key);
  const list = value[key];
  if (!Array.isArray(list)) {
    entry.rejected.push({ path: listPath, reason: `${key} is ${describeType(list)}, expected an array` });
    return;
  }
  // Index loop: holes in a sparse array are visited (and rejected) instead of silently skipped.
  for (let index = 0; index < list.length; index += 1) {
    const itemPath = childPath(listPath, index);
    const outcome = guarded(() => parse(list[index], itemPath), itemPath);
    if ("event" in outcome) entry.events.push(outcome.event);
    else if ("ignored" in outcome) entry.ignored.push(outcome.ignored);
    else entry.rejected.push(outcome.rejected);
  }
}

/** The contact a message or status is about, preferring the phone number, then the BSUID. */
function contactFor(phone: string | null, bsuid: string | null, contacts: WhatsAppContact[]): NormalizedContact | null {
  let match = contacts.find(
    (contact) => (phone !== null && nonEmpty(contact.wa_id) === phone) || (bsuid !== null && nonEmpty(contact.user_id) === bsuid),
  );
  if (match === undefined && phone === null && bsuid === null && contacts.length === 1) match = contacts[0];
  // Phone first: it is what existing contacts are keyed on and what replies are addressed to; a username-only
  // user has no phone in the payload, and the BSUID (stable for that user and business) identifies them.
  const externalId = phone ?? bsuid ?? nonEmpty(match?.wa_id) ?? nonEmpty(match?.user_id);
  if (externalId === null) return null;
  const contact: NormalizedContact = { externalId };
  if (match?.profile?.name !== undefined) contact.name = match.profile.name;
  if (match?.profile?.username !== undefined) contact.username = match.profile.username;
  return contact;
}

function parseMessage(raw: unknown, path: string, contacts: WhatsAppContact[]): WhatsAppOutcome {
  const parsed = messageBaseSchema.safeParse(raw);
  if (!parsed.success || !isRecord(raw)) {
    return { rejected: parsed.success ? { path, reason: "message is not an object" } : zodIssue(path, "message", parsed.error) };
  }
  const base = parsed.data;
  if (base.group_id !== undefined) {
    return { ignored: { path, reason: "messages sent in WhatsApp groups are not supported by the inbox" } };
  }
  if (base.type === "system") {
    return { ignored: { path, reason: "system messages (customer changed number or identity) are not used by the inbox" } };
  }
  const contact = contactFor(nonEmpty(base.from), nonEmpty(base.from_user_id), contacts);
  if (contact === null)
    return { rejected: { path, reason: "message has no sender: neither from, from_user_id nor a contact id" } };
  const at = base.timestamp;

  if (base.type === "reaction") {
    const reaction = reactionSchema.safeParse(raw.reaction);
    if (!reaction.success) return { rejected: zodIssue(path, "reaction message", reaction.error, childPath(path, "reaction")) };
    const emoji = nonEmpty(reaction.data.emoji);
    return {
      event: { kind: "reaction", contact, messageExternalId: reaction.data.message_id, emoji, from: "customer", at },
    };
  }
  if (base.type === "request_welcome") {
    // The user opened the chat for the first time: an action that opens the customer service window.
    return { event: { kind: "contact_activity", contact, at, payload: { kind: "request_welcome" } } };
  }

  const content = parseContent(base, raw, path);
  if ("rejected" in content) return content;
  const message: NormalizedMessage = {
    externalId: base.id,
    direction: "incoming",
    type: content.type,
    text: content.text,
    payload: compactPayload({
      ...content.payload,
      forwarded: base.context?.forwarded === true ? true : undefined,
      frequentlyForwarded: base.context?.frequently_forwarded === true ? true : undefined,
      referredProduct: base.context?.referred_product,
      referral: base.referral,
    }),
    attachments: content.attachments,
    replyToExternalId: nonEmpty(base.context?.id),
    sentAt: at,
    appId: null,
    isEcho: false,
  };
  return { event: { kind: "message", contact, message } };
}

function parseEcho(raw: unknown, path: string, contacts: WhatsAppContact[]): WhatsAppOutcome {
  const parsed = echoBaseSchema.safeParse(raw);
  if (!parsed.success || !isRecord(raw)) {
    return {
      rejected: parsed.success ? { path, reason: "echo is not an object" } : zodIssue(path, "message echo", parsed.error),
    };
  }
  const echo = parsed.data;
  const contact = contactFor(phoneDigits(echo.to), nonEmpty(echo.to_user_id), contacts);
  if (contact === null) return { rejected: { path, reason: "message echo has no recipient: neither to nor to_user_id" } };

  if (echo.type === "reaction") {
    const reaction = reactionSchema.safeParse(raw.reaction);
    if (!reaction.success) return { rejected: zodIssue(path, "reaction echo", reaction.error, childPath(path, "reaction")) };
    return {
      event: {
        kind: "reaction",
        contact,
        messageExternalId: reaction.data.message_id,
        emoji: nonEmpty(reaction.data.emoji),
        from: "business",
        at: echo.timestamp,
      },
    };
  }
  if (!echoContentTypes.has(echo.type)) {
    return { ignored: { path, reason: `message echo of type ${quoted(echo.type)} is not used by the inbox` } };
  }
  const content = parseContent({ ...echo, errors: undefined }, raw, path);
  if ("rejected" in content) return content;
  // Sent from Meta's own app, so there is no app id: the inbox stores it as outgoing, sentFrom "native".
  const message: NormalizedMessage = {
    externalId: echo.id,
    direction: "outgoing",
    type: content.type,
    text: content.text,
    payload: compactPayload(content.payload),
    attachments: content.attachments,
    replyToExternalId: null,
    sentAt: echo.timestamp,
    appId: null,
    isEcho: true,
  };
  return { event: { kind: "message", contact, message } };
}

interface Content {
  type: MessageType;
  text: string | null;
  payload: Record<string, unknown>;
  attachments: NormalizedAttachment[];
}

const mediaTypes = { image: "image", video: "video", audio: "audio", document: "file", sticker: "sticker" } as const;

function parseContent(
  base: Pick<MessageBase, "type" | "errors">,
  raw: Record<string, unknown>,
  path: string,
): Content | { rejected: Issue } {
  const type = base.type;
  const bodyPath = childPath(path, type);
  const reject = (error: z.ZodError) => ({ rejected: zodIssue(path, `${type} message`, error, bodyPath) });

  switch (type) {
    case "text": {
      const text = textSchema.safeParse(raw.text);
      if (!text.success) return reject(text.error);
      return { type: "text", text: text.data.body, payload: {}, attachments: [] };
    }
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker": {
      const media = mediaSchema.safeParse(raw[type]);
      if (!media.success) return reject(media.error);
      const attachment: NormalizedAttachment = {
        type: mediaTypes[type],
        // WhatsApp media has no public URL: it is downloaded by id.
        url: null,
        mimeType: media.data.mime_type ?? null,
        name: media.data.filename ?? null,
        mediaId: media.data.id,
        sha256: media.data.sha256 ?? null,
      };
      if (type === "audio") attachment.isVoice = media.data.voice === true;
      return { type: mediaTypes[type], text: media.data.caption ?? null, payload: {}, attachments: [attachment] };
    }
    case "location": {
      const location = locationSchema.safeParse(raw.location);
      if (!location.success) return reject(location.error);
      const { latitude, longitude, name, address } = location.data;
      return {
        type: "location",
        text: null,
        payload: { latitude, longitude, name: name ?? null, address: address ?? null },
        attachments: [],
      };
    }
    case "contacts": {
      const shared = contactsSchema.safeParse(raw.contacts);
      if (!shared.success) return reject(shared.error);
      return { type: "contact", text: null, payload: { contacts: shared.data }, attachments: [] };
    }
    case "interactive":
      return parseInteractive(raw.interactive, path);
    case "button": {
      // A template's quick-reply button: the label the user saw is the text, the template's payload identifies it.
      const button = buttonSchema.safeParse(raw.button);
      if (!button.success) return reject(button.error);
      return {
        type: "interactive",
        text: button.data.text,
        payload: { kind: "button", payload: button.data.payload ?? null },
        attachments: [],
      };
    }
    case "unsupported":
    case "unknown": {
      // Meta could not describe the message to us; keep its errors so the inbox can say why.
      const unsupported =
        isRecord(raw.unsupported) && typeof raw.unsupported.type === "string" ? raw.unsupported.type : undefined;
      return {
        type: "unsupported",
        text: null,
        payload: compactPayload({ unsupportedType: unsupported, errors: errorsPayload(base.errors) }) ?? {},
        attachments: [],
      };
    }
    default:
      // order, or a type added after this parser was written: the customer sent something we cannot show,
      // so it is stored as unsupported (with the raw content) rather than dropped.
      return {
        type: "unsupported",
        text: null,
        payload: compactPayload({ originalType: type, content: raw[type], errors: errorsPayload(base.errors) }) ?? {},
        attachments: [],
      };
  }
}

function parseInteractive(value: unknown, path: string): Content | { rejected: Issue } {
  const bodyPath = childPath(path, "interactive");
  const parsed = interactiveSchema.safeParse(value);
  if (!parsed.success) return { rejected: zodIssue(path, "interactive message", parsed.error, bodyPath) };
  const interactive = parsed.data;
  if (interactive.type === "button_reply" && interactive.button_reply !== undefined) {
    const reply = interactive.button_reply;
    return { type: "interactive", text: reply.title, payload: { kind: "button_reply", payload: reply.id }, attachments: [] };
  }
  if (interactive.type === "list_reply" && interactive.list_reply !== undefined) {
    const reply = interactive.list_reply;
    return {
      type: "interactive",
      text: reply.title,
      payload: { kind: "list_reply", payload: reply.id, description: reply.description ?? null },
      attachments: [],
    };
  }
  if (interactive.type === "nfm_reply" && interactive.nfm_reply !== undefined) {
    const reply = interactive.nfm_reply;
    return {
      type: "interactive",
      text: reply.body ?? null,
      payload: { kind: "nfm_reply", payload: reply.response_json, name: reply.name ?? null },
      attachments: [],
    };
  }
  if (interactive.type === "button_reply" || interactive.type === "list_reply" || interactive.type === "nfm_reply") {
    return { rejected: { path, reason: `${bodyPath}.${interactive.type} is missing` } };
  }
  // Other interactive replies (e.g. call_permission_reply): kept as an interactive message with its data.
  const data = isRecord(value) ? value[interactive.type] : undefined;
  return {
    type: "interactive",
    text: null,
    payload: compactPayload({ kind: interactive.type, payload: null, data }) ?? {},
    attachments: [],
  };
}

function errorsPayload(errors: WhatsAppError[] | undefined): Record<string, unknown>[] | undefined {
  if (errors === undefined || errors.length === 0) return undefined;
  return errors.map((error) => ({
    code: error.code ?? null,
    title: error.title ?? null,
    message: error.message ?? null,
    details: error.error_data?.details ?? error.details ?? null,
  }));
}

function parseStatus(raw: unknown, path: string, contacts: WhatsAppContact[]): WhatsAppOutcome {
  const parsed = statusSchema.safeParse(raw);
  if (!parsed.success) return { rejected: zodIssue(path, "status", parsed.error) };
  const status = parsed.data;
  if (!Object.prototype.hasOwnProperty.call(statusMap, status.status)) {
    return { ignored: { path, reason: `status ${quoted(status.status)} is not tracked by the inbox` } };
  }
  const mapped = statusMap[status.status as keyof typeof statusMap];
  // A group message's recipient_id is the group, not a customer.
  const contact =
    status.recipient_type === "group"
      ? null
      : contactFor(nonEmpty(status.recipient_id), nonEmpty(status.recipient_user_id), contacts);
  const base = { kind: "status", contact, messageExternalId: status.id, status: mapped, at: status.timestamp } as const;
  return { event: mapped === "failed" ? { ...base, error: failure(status.errors) } : base };
}

function failure(errors: WhatsAppError[] | undefined): { code: string; message: string; platformCode: number | string | null } {
  const error = errors?.[0];
  if (error === undefined) {
    return {
      code: "platform_rejected",
      message: "WhatsApp reported the message as failed without giving a reason",
      platformCode: null,
    };
  }
  // `details` explains this case ("more than 24 hours have passed…"); `message`/`title` name the error class.
  const message =
    error.error_data?.details ?? error.details ?? error.message ?? error.title ?? "WhatsApp reported the message as failed";
  return { code: "platform_rejected", message, platformCode: error.code ?? null };
}

function systemError(raw: unknown, path: string): WhatsAppOutcome {
  const parsed = errorSchema.safeParse(raw);
  if (!parsed.success) return { rejected: zodIssue(path, "error", parsed.error) };
  const { code, title } = parsed.data;
  const label = [
    code === undefined ? undefined : typeof code === "number" ? code.toFixed(0) : code.slice(0, 20),
    title?.slice(0, 120),
  ]
    .filter((part) => part !== undefined)
    .join(" ");
  // A system- or account-level error not tied to a message: nothing to ingest, but it must be visible in the log.
  return { ignored: { path, reason: `WhatsApp reported an error not tied to a message${label === "" ? "" : `: ${label}`}` } };
}
