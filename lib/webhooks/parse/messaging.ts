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
  describeKeys,
  describeType,
  epochMilliseconds,
  guarded,
  has,
  isRecord,
  quoted,
  unknownFields,
  zodIssue,
  type Issue,
  type ItemOutcome,
} from "@/lib/webhooks/parse/common";

// The items of `entry[].messaging[]`. Messenger (object "page") and the Messenger API for Instagram (object
// "instagram") share this envelope and these event kinds, so both platform parsers use this module; what
// differs between them (the `object`, the entry's other lists, which account the entry id names) lives in
// messenger.ts and instagram.ts.
//
// Timestamps here (`timestamp`, `watermark`) are epoch MILLISECONDS (see `epochMilliseconds`).

type MessagingOutcome = ItemOutcome<NormalizedEvent>;

// Webhook Events Reference: every messaging item carries who sent it, who received it and when.
// https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events
const participantSchema = z.object({
  id: z.string().min(1).optional(),
  // Chat Plugin guests and checkbox-plugin opt-ins identify the person by user_ref instead of a PSID.
  user_ref: z.string().min(1).optional(),
});
const envelopeSchema = z.object({
  // Checkbox-plugin opt-ins carry no sender at all.
  sender: participantSchema.optional(),
  recipient: participantSchema,
  // Optional here only because the message_deliveries example omits it; every other kind requires it.
  timestamp: epochMilliseconds.optional(),
});
type Envelope = z.infer<typeof envelopeSchema>;

// messages / message_echoes attachments. Messenger: image, audio, video, file, sticker (a second, `sticker`
// typed copy during the 2026 transition), reel, ig_reel, post, ig_post, template, fallback (legacy `location`).
// Instagram: image, video, audio, file, share, story_mention, ig_reel, reel, fallback, unsupported.
// https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/messages
// https://developers.facebook.com/docs/messenger-platform/instagram/features/webhook
const attachmentPayloadSchema = z.looseObject({
  url: z.string().nullable().optional(),
  title: z.string().nullable().optional(),
  sticker_id: z.union([z.number(), z.string()]).nullable().optional(),
  coordinates: z.object({ lat: z.number(), long: z.number() }).optional(),
});
const attachmentSchema = z.object({
  type: z.string().min(1),
  // Fallback attachments carry a string payload or none at all (and their url/title beside it).
  payload: z.union([attachmentPayloadSchema, z.string(), z.null()]).optional(),
  title: z.string().nullable().optional(),
  url: z.string().nullable().optional(),
});
type RawAttachment = z.infer<typeof attachmentSchema>;

// messaging_referrals (m.me / ig.me links, ads, Instagram shop products): kept as sent, for the inbox to show.
// https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/messaging_referrals
const referralSchema = z.record(z.string(), z.unknown());

// messages (incoming) and message_echoes (`is_echo`, `app_id`), Instagram `is_deleted` / `is_unsupported`,
// `reply_to` with a `mid` or an Instagram `story {url, id}`.
// https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/messages
// https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/message-echoes
// https://developers.facebook.com/docs/messenger-platform/instagram/features/webhook
const messageSchema = z.object({
  mid: z.string().min(1),
  text: z.string().optional(),
  is_echo: z.boolean().optional(),
  app_id: z
    .union([z.number().int().min(0), z.string().min(1)])
    .nullable()
    .optional(),
  is_deleted: z.boolean().optional(),
  is_unsupported: z.boolean().optional(),
  quick_reply: z.object({ payload: z.string().optional() }).optional(),
  reply_to: z
    .object({
      mid: z.string().min(1).optional(),
      story: z.object({ url: z.string().nullable().optional(), id: z.string().nullable().optional() }).optional(),
    })
    .optional(),
  attachments: z.array(attachmentSchema).optional(),
  sticker_id: z.union([z.number(), z.string()]).optional(),
  referral: referralSchema.optional(),
});
type RawMessage = z.infer<typeof messageSchema>;

// message_deliveries: `watermark` always, `mids` sometimes.
// https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/message-deliveries
const deliverySchema = z.object({
  mids: z.array(z.string().min(1)).optional(),
  watermark: epochMilliseconds,
});

// message_reads (Messenger: `watermark`) and Instagram messaging_seen (`mid` of the message seen).
// https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/message-reads
// https://developers.facebook.com/docs/messenger-platform/instagram/features/webhook
const readSchema = z.object({ watermark: epochMilliseconds.optional(), mid: z.string().min(1).optional() });

// message_reactions: `action` react/unreact; unreact may omit `emoji` and `reaction`.
// https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/message-reactions
const reactionSchema = z.object({
  mid: z.string().min(1),
  action: z.enum(["react", "unreact"]),
  emoji: z.string().optional(),
  reaction: z.string().optional(),
});

// messaging_postbacks: `mid` since v11 (Instagram) and on current Messenger versions; `title`, `payload`,
// and a `referral` when the postback started a thread from an m.me link or ad.
// https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/messaging_postbacks
const postbackSchema = z.object({
  mid: z.string().min(1).optional(),
  title: z.string().optional(),
  payload: z.string().optional(),
  referral: referralSchema.optional(),
});

// message_edits: the new text of a previously sent message.
// https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/message-edits
const messageEditSchema = z.object({
  mid: z.string().min(1),
  text: z.string().optional(),
});

// messaging_optins: Send to Messenger plugin (`ref`), accepted message requests (`message_request`),
// checkbox plugin (`user_ref`, no sender PSID), Marketing Messages (`type: "notification_messages"`).
// https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events/messaging_optins
const optinSchema = z.looseObject({
  type: z.string().optional(),
  ref: z.string().optional(),
  user_ref: z.string().optional(),
});

// Kinds we turn into events, in the order they are looked for (an echo also sits under `message`).
const handledKinds = ["message", "message_edit", "reaction", "delivery", "read", "postback", "referral", "optin"] as const;

// Documented messaging kinds the inbox has no use for; they are logged as ignored, never rejected.
const ignoredKinds: Record<string, string> = {
  account_linking: "account linking events are not used by the inbox",
  game_play: "Instant Games events are not used by the inbox",
  pass_thread_control: "handover protocol events are not used by the inbox",
  take_thread_control: "handover protocol events are not used by the inbox",
  request_thread_control: "handover protocol events are not used by the inbox",
  app_roles: "handover protocol events are not used by the inbox",
  policy_enforcement: "policy enforcement notices are not used by the inbox",
  checkout_update: "payments events are not used by the inbox",
  payment: "payments events are not used by the inbox",
  pre_checkout: "payments events are not used by the inbox",
  messaging_feedback: "customer feedback events are not used by the inbox",
  optout: "marketing-message opt-outs are not used by the inbox",
};

// Fields of a messaging item this parser knows; anything else is listed as ignored (see `unknownFields`).
const knownItemFields = new Set<string>(["sender", "recipient", "timestamp", ...handledKinds, ...Object.keys(ignoredKinds)]);
// Fields of an entry this parser knows.
const knownEntryFields = new Set(["id", "time", "messaging", "standby", "changes"]);

// Reactions from older clients carry only the named reaction, not the emoji Messenger shows for it.
const namedReactionEmoji: Record<string, string> = {
  love: "\u2764\uFE0F",
  like: "\u{1F44D}",
  dislike: "\u{1F44E}",
  smile: "\u{1F606}",
  laugh: "\u{1F606}",
  wow: "\u{1F62E}",
  sad: "\u{1F622}",
  angry: "\u{1F620}",
};

interface ItemContext {
  /** The entry id: the Page id (Messenger) or Instagram professional account id. */
  accountId: string;
}

export function parseMessagingItem(item: unknown, path: string, context: ItemContext): MessagingOutcome {
  if (!isRecord(item)) return rejected(path, `messaging item is ${describeType(item)}, expected an object`);

  const kind = handledKinds.find((key) => has(item, key));
  if (kind === undefined) {
    const ignoredKind = Object.keys(ignoredKinds).find((key) => has(item, key));
    if (ignoredKind !== undefined) return { ignored: { path, reason: `${ignoredKind}: ${ignoredKinds[ignoredKind]}` } };
    return { ignored: { path, reason: `unknown messaging event (keys: ${describeKeys(item)})` } };
  }

  const envelope = envelopeSchema.safeParse(item);
  if (!envelope.success) return { rejected: zodIssue(path, `${kind} event`, envelope.error) };
  const env = envelope.data;

  switch (kind) {
    case "message":
      return parseMessage(item, env, path);
    case "message_edit":
      return parseMessageEdit(item.message_edit, env, path, context);
    case "reaction":
      return parseReaction(item.reaction, env, path, context);
    case "delivery":
      return parseDelivery(item.delivery, env, path);
    case "read":
      return parseRead(item.read, env, path);
    case "postback":
      return parsePostback(item.postback, env, path, context);
    case "referral":
      return parseReferral(item.referral, env, path, context);
    case "optin":
      return parseOptin(item.optin, env, path);
  }
}

function rejected(path: string, reason: string): MessagingOutcome {
  return { rejected: { path, reason } };
}

type Resolved<T> = { ok: T } | { outcome: MessagingOutcome };

/** The customer side of the event: `recipient` when the business sent it, `sender` otherwise. */
function customer(env: Envelope, fromBusiness: boolean, path: string): Resolved<NormalizedContact> {
  const side = fromBusiness ? env.recipient : env.sender;
  const sideName = fromBusiness ? "recipient" : "sender";
  if (side === undefined) return { outcome: rejected(path, `${sideName} is missing`) };
  if (side.id !== undefined) return { ok: { externalId: side.id } };
  if (side.user_ref !== undefined) {
    // A Chat Plugin guest has no PSID/IGSID yet: no conversation can be attached to them or replied to.
    return { outcome: { ignored: { path, reason: `${sideName} is identified only by a user_ref (chat plugin guest)` } } };
  }
  return { outcome: rejected(path, `${sideName}.id is missing`) };
}

function timestampOf(env: Envelope, path: string): Resolved<Date> {
  if (env.timestamp !== undefined) return { ok: env.timestamp };
  return { outcome: rejected(path, "timestamp is missing") };
}

/** The business side is whichever participant is the entry's own account (page or Instagram account). */
function sentByBusiness(env: Envelope, context: ItemContext): boolean {
  return env.sender?.id !== undefined && env.sender.id === context.accountId;
}

function parseMessage(item: Record<string, unknown>, env: Envelope, path: string): MessagingOutcome {
  const parsed = messageSchema.safeParse(item.message);
  if (!parsed.success) return { rejected: zodIssue(path, "message", parsed.error, childPath(path, "message")) };
  const message = parsed.data;

  // An echo is the business's own message: sender is the page / Instagram account, the customer is the recipient.
  const outgoing = message.is_echo === true;
  const contact = customer(env, outgoing, path);
  if ("outcome" in contact) return contact.outcome;
  const at = timestampOf(env, path);
  if ("outcome" in at) return at.outcome;

  if (message.is_deleted === true) {
    return { event: { kind: "message_delete", contact: contact.ok, messageExternalId: message.mid, at: at.ok } };
  }

  // Click-to-Messenger ads put the `referral` beside `message` rather than inside it.
  const itemReferral = referralSchema.safeParse(item.referral);
  const referral = message.referral ?? (itemReferral.success ? itemReferral.data : undefined);

  const content = mapContent(message);
  const normalized: NormalizedMessage = {
    externalId: message.mid,
    direction: outgoing ? "outgoing" : "incoming",
    type: content.type,
    text: message.text ?? null,
    payload: compactPayload({
      ...content.payload,
      story:
        message.reply_to?.story !== undefined
          ? { url: message.reply_to.story.url ?? null, id: message.reply_to.story.id ?? null }
          : undefined,
      referral,
    }),
    attachments: content.attachments,
    // A story reply quotes a story, not a message: only a `mid` names a message.
    replyToExternalId: message.reply_to?.mid ?? null,
    sentAt: at.ok,
    appId: outgoing ? appIdOf(message.app_id) : null,
    isEcho: outgoing,
  };
  return { event: { kind: "message", contact: contact.ok, message: normalized } };
}

function appIdOf(appId: RawMessage["app_id"]): string | null {
  if (appId === undefined || appId === null) return null;
  return typeof appId === "number" ? appId.toFixed(0) : appId;
}

interface Content {
  type: MessageType;
  attachments: NormalizedAttachment[];
  payload: Record<string, unknown>;
}

function mapContent(message: RawMessage): Content {
  const mapped = stickerDeduplicated(message.attachments ?? []).map(mapAttachment);
  const attachments = mapped.flatMap((entry) => (entry.attachment === undefined ? [] : [entry.attachment]));
  const payload: Record<string, unknown> = {};
  for (const entry of mapped) Object.assign(payload, entry.payload);

  // A quick reply is the customer tapping a button: its title is the text, its payload identifies the button.
  if (message.quick_reply !== undefined) {
    return {
      type: "interactive",
      attachments,
      payload: { kind: "quick_reply", payload: message.quick_reply.payload ?? null, ...payload },
    };
  }
  if (message.is_unsupported === true) return { type: "unsupported", attachments, payload };
  const first = mapped[0];
  if (first !== undefined) return { type: first.messageType, attachments, payload };
  if (message.text !== undefined) return { type: "text", attachments, payload };
  return { type: "unsupported", attachments, payload };
}

/**
 * Until 2026-08-30 Messenger sends a sticker twice: as `image` (with `payload.sticker_id`) and as `sticker`.
 * Keep one copy; a lone `image` with a `sticker_id` (older payloads) is the sticker itself.
 */
function stickerDeduplicated(attachments: RawAttachment[]): RawAttachment[] {
  if (!attachments.some((attachment) => attachment.type === "sticker")) return attachments;
  return attachments.filter((attachment) => !(attachment.type === "image" && stickerIdOf(attachment) !== undefined));
}

function stickerIdOf(attachment: RawAttachment): unknown {
  const payload = attachment.payload;
  return isRecord(payload) && payload.sticker_id !== undefined && payload.sticker_id !== null ? payload.sticker_id : undefined;
}

interface MappedAttachment {
  messageType: MessageType;
  attachment?: NormalizedAttachment;
  payload?: Record<string, unknown>;
}

function mapAttachment(raw: RawAttachment): MappedAttachment {
  const payload = isRecord(raw.payload) ? raw.payload : undefined;
  const url = payload?.url ?? raw.url ?? null;
  const name = raw.title ?? payload?.title ?? null;
  const attachment = (type: NormalizedAttachment["type"]): NormalizedAttachment => ({ type, url, mimeType: null, name });

  switch (raw.type) {
    case "image":
      if (stickerIdOf(raw) !== undefined) return { messageType: "sticker", attachment: attachment("sticker") };
      return { messageType: "image", attachment: attachment("image") };
    case "video":
    case "audio":
    case "file":
    case "sticker":
      return { messageType: raw.type, attachment: attachment(raw.type) };
    case "share":
    case "reel":
    case "ig_reel":
    case "post":
    case "ig_post":
      return { messageType: "share", attachment: attachment("share") };
    case "story_mention":
      // The customer mentioned the business in their story; the URL is the story's media (expires with it).
      return { messageType: "story_mention", attachment: attachment("story") };
    case "fallback":
      // A link shared to the page; without any URL it is a share Meta cannot describe to us.
      return { messageType: url === null ? "unsupported" : "share", attachment: attachment("fallback") };
    case "location": {
      // Legacy Messenger location pins: coordinates, with the pin's title.
      const coordinates = payload?.coordinates;
      if (coordinates === undefined) return { messageType: "unsupported", attachment: attachment("unsupported") };
      return {
        messageType: "location",
        payload: { latitude: coordinates.lat, longitude: coordinates.long, name, address: null },
      };
    }
    case "template":
      // Echoes of templates the page sent (or product templates): the template itself is the content.
      return { messageType: "template", payload: { template: payload ?? raw.payload ?? null } };
    default:
      // `unsupported` and any type this parser does not know yet: keep what we can show.
      return { messageType: "unsupported", attachment: attachment("unsupported") };
  }
}

function parseMessageEdit(value: unknown, env: Envelope, path: string, context: ItemContext): MessagingOutcome {
  const parsed = messageEditSchema.safeParse(value);
  if (!parsed.success) return { rejected: zodIssue(path, "message_edit", parsed.error, childPath(path, "message_edit")) };
  const contact = customer(env, sentByBusiness(env, context), path);
  if ("outcome" in contact) return contact.outcome;
  const at = timestampOf(env, path);
  if ("outcome" in at) return at.outcome;
  return {
    event: {
      kind: "message_edit",
      contact: contact.ok,
      messageExternalId: parsed.data.mid,
      text: parsed.data.text ?? null,
      at: at.ok,
    },
  };
}

function parseReaction(value: unknown, env: Envelope, path: string, context: ItemContext): MessagingOutcome {
  const parsed = reactionSchema.safeParse(value);
  if (!parsed.success) return { rejected: zodIssue(path, "reaction", parsed.error, childPath(path, "reaction")) };
  const reaction = parsed.data;
  const fromBusiness = sentByBusiness(env, context);
  const contact = customer(env, fromBusiness, path);
  if ("outcome" in contact) return contact.outcome;
  const at = timestampOf(env, path);
  if ("outcome" in at) return at.outcome;

  let emoji: string | null = null;
  if (reaction.action === "react") {
    const named = reaction.reaction === undefined ? undefined : namedReactionEmoji[reaction.reaction];
    const resolved = reaction.emoji !== undefined && reaction.emoji.length > 0 ? reaction.emoji : named;
    if (resolved === undefined) return rejected(path, "reaction.action is react but no emoji (or known reaction name) is given");
    emoji = resolved;
  }
  return {
    event: {
      kind: "reaction",
      contact: contact.ok,
      messageExternalId: reaction.mid,
      emoji,
      from: fromBusiness ? "business" : "customer",
      at: at.ok,
    },
  };
}

function parseDelivery(value: unknown, env: Envelope, path: string): MessagingOutcome {
  const parsed = deliverySchema.safeParse(value);
  if (!parsed.success) return { rejected: zodIssue(path, "delivery", parsed.error, childPath(path, "delivery")) };
  const contact = customer(env, false, path);
  if ("outcome" in contact) return contact.outcome;
  return {
    event: {
      kind: "watermark",
      contact: contact.ok,
      status: "delivered",
      watermark: parsed.data.watermark,
      messageExternalIds: parsed.data.mids ?? [],
      // Meta's documented delivery example has no timestamp; the watermark is then the latest known instant.
      at: env.timestamp ?? parsed.data.watermark,
    },
  };
}

function parseRead(value: unknown, env: Envelope, path: string): MessagingOutcome {
  const parsed = readSchema.safeParse(value);
  if (!parsed.success) return { rejected: zodIssue(path, "read", parsed.error, childPath(path, "read")) };
  const contact = customer(env, false, path);
  if ("outcome" in contact) return contact.outcome;
  const read = parsed.data;
  if (read.mid !== undefined) {
    // Instagram messaging_seen names the one message seen.
    const at = timestampOf(env, path);
    if ("outcome" in at) return at.outcome;
    return { event: { kind: "status", contact: contact.ok, messageExternalId: read.mid, status: "read", at: at.ok } };
  }
  const watermark = read.watermark;
  if (watermark === undefined) return rejected(path, "read carries neither a watermark nor a mid");
  return {
    event: {
      kind: "watermark",
      contact: contact.ok,
      status: "read",
      watermark,
      messageExternalIds: [],
      at: env.timestamp ?? watermark,
    },
  };
}

function parsePostback(value: unknown, env: Envelope, path: string, context: ItemContext): MessagingOutcome {
  const parsed = postbackSchema.safeParse(value);
  if (!parsed.success) return { rejected: zodIssue(path, "postback", parsed.error, childPath(path, "postback")) };
  const postback = parsed.data;
  const contact = customer(env, sentByBusiness(env, context), path);
  if ("outcome" in contact) return contact.outcome;
  const at = timestampOf(env, path);
  if ("outcome" in at) return at.outcome;

  // Postbacks from older API versions (and Get Started) have no mid. Meta redelivers a webhook with the same
  // content, so an id derived from who tapped what and when (ms) stays the same across retries and keeps the
  // unique external id idempotent, while two separate taps still differ by their timestamps.
  const externalId = postback.mid ?? `postback:${contact.ok.externalId}:${at.ok.getTime()}:${postback.payload ?? ""}`;
  const message: NormalizedMessage = {
    externalId,
    direction: "incoming",
    type: "interactive",
    text: postback.title ?? null,
    payload: compactPayload({ kind: "postback", payload: postback.payload ?? null, referral: postback.referral }),
    attachments: [],
    replyToExternalId: null,
    sentAt: at.ok,
    appId: null,
    isEcho: false,
  };
  return { event: { kind: "message", contact: contact.ok, message } };
}

function parseReferral(value: unknown, env: Envelope, path: string, context: ItemContext): MessagingOutcome {
  const parsed = referralSchema.safeParse(value);
  if (!parsed.success) return { rejected: zodIssue(path, "referral", parsed.error, childPath(path, "referral")) };
  const contact = customer(env, sentByBusiness(env, context), path);
  if ("outcome" in contact) return contact.outcome;
  const at = timestampOf(env, path);
  if ("outcome" in at) return at.outcome;
  // The customer re-entered the thread through an m.me / ig.me link or an ad: that opens the messaging window.
  return {
    event: { kind: "contact_activity", contact: contact.ok, at: at.ok, payload: { kind: "referral", referral: parsed.data } },
  };
}

function parseOptin(value: unknown, env: Envelope, path: string): MessagingOutcome {
  const parsed = optinSchema.safeParse(value);
  if (!parsed.success) return { rejected: zodIssue(path, "optin", parsed.error, childPath(path, "optin")) };
  const optin = parsed.data;
  if (optin.type === "notification_messages" || optin.type === "one_time_notif_req") {
    return {
      ignored: {
        path,
        reason: `optin of type ${optin.type} changes a Marketing Messages subscription; it does not open the messaging window`,
      },
    };
  }
  if (env.sender?.id === undefined) {
    // The checkbox plugin reports a user_ref, not a PSID: one message may be sent to it, no conversation exists.
    return { ignored: { path, reason: "optin from the checkbox plugin identifies the person by user_ref only" } };
  }
  const at = timestampOf(env, path);
  if ("outcome" in at) return at.outcome;
  // Send to Messenger / an accepted message request: the person started talking to the page.
  return {
    event: { kind: "contact_activity", contact: { externalId: env.sender.id }, at: at.ok, payload: { kind: "optin", optin } },
  };
}

/** Every item of a list the entry carries but the inbox does not act on (e.g. `standby`), one outcome each. */
export function ignoreList(list: unknown, path: string, reason: string): { ignored: Issue[]; rejected: Issue[] } {
  if (!Array.isArray(list)) return { ignored: [], rejected: [{ path, reason: `expected an array, got ${describeType(list)}` }] };
  // Array.from, not map: map skips the holes of a sparse array, and every index must be accounted for.
  return { ignored: Array.from({ length: list.length }, (_, index) => ({ path: childPath(path, index), reason })), rejected: [] };
}

export interface MessagingEntryOptions {
  platform: "messenger" | "instagram";
  /** The documented shape of one `entry[]` element on this platform. */
  entrySchema: z.ZodType<{ id: string }>;
  /** Why `standby` items (threads another app controls under the handover protocol) are not ingested. */
  standbyReason: string;
  /** Why a `changes[]` notification (feed, comments, mentions…) with this (quoted) `field` is not ingested. */
  changeReason: (field: string) => string;
}

/**
 * One `entry[]` element of a Messenger or Instagram notification: one NormalizedEntry for the account the entry
 * id names, with one outcome (event, ignored or rejected) per messaging/standby item. Returns a rejection
 * instead when the entry has no usable id, since its events could not be routed to any account.
 */
export function parseMessagingEntry(
  entry: unknown,
  path: string,
  options: MessagingEntryOptions,
): { entry: NormalizedEntry } | { rejected: Issue } {
  const parsed = options.entrySchema.safeParse(entry);
  if (!parsed.success || !isRecord(entry)) {
    return { rejected: parsed.success ? { path, reason: "entry is not an object" } : zodIssue(path, "entry", parsed.error) };
  }
  const normalized: NormalizedEntry = {
    platform: options.platform,
    accountExternalId: parsed.data.id,
    events: [],
    ignored: [],
    rejected: [],
  };

  if (has(entry, "messaging")) {
    const list = entry.messaging;
    const listPath = childPath(path, "messaging");
    if (!Array.isArray(list)) {
      normalized.rejected.push({ path: listPath, reason: `messaging is ${describeType(list)}, expected an array` });
    } else {
      // Index loop, not for…of over entries(): holes in a sparse array must still be visited and accounted for.
      for (let index = 0; index < list.length; index += 1) {
        const itemPath = childPath(listPath, index);
        const item: unknown = list[index];
        const outcome = guarded(() => parseMessagingItem(item, itemPath, { accountId: parsed.data.id }), itemPath);
        if ("event" in outcome) {
          normalized.events.push(outcome.event);
          if (isRecord(item)) normalized.ignored.push(...unknownFields(item, itemPath, knownItemFields));
        } else if ("ignored" in outcome) normalized.ignored.push(outcome.ignored);
        else normalized.rejected.push(outcome.rejected);
      }
    }
  }

  if (has(entry, "standby")) {
    const standby = ignoreList(entry.standby, childPath(path, "standby"), options.standbyReason);
    normalized.ignored.push(...standby.ignored);
    normalized.rejected.push(...standby.rejected);
  }

  if (has(entry, "changes")) {
    const changes = entry.changes;
    const changesPath = childPath(path, "changes");
    if (!Array.isArray(changes)) {
      normalized.ignored.push({ path: changesPath, reason: `changes (${describeType(changes)}) are not used by the inbox` });
    } else {
      for (let index = 0; index < changes.length; index += 1) {
        const change = changes[index];
        const field = isRecord(change) && typeof change.field === "string" ? quoted(change.field) : "(no field)";
        normalized.ignored.push({ path: childPath(changesPath, index), reason: options.changeReason(field) });
      }
    }
  }

  normalized.ignored.push(...unknownFields(entry, path, knownEntryFields));
  return { entry: normalized };
}
