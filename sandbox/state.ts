import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import path from "node:path";
import type { Fixture, FixtureAttachment, Platform } from "./fixture";
import { conversationIdFrom, digitsFrom, messageIdFrom } from "./ids";
import { sampleFor } from "./samples";

// The sandbox's in-memory picture of Meta: accounts, customers, threads and their messages, WhatsApp
// media, what the app sent, and the app's webhook subscriptions. Seeded from the fixture; optionally
// persisted to a file so a restart keeps conversations.

export interface Account {
  platform: Platform;
  id: string;
  name: string;
  /** The Page that owns the account: itself for Messenger, the linked Page for Instagram, "" for WhatsApp. */
  pageId: string;
  /** WhatsApp only: the business account the phone number belongs to. */
  wabaId: string | null;
  username: string | null;
  displayPhoneNumber: string | null;
}

export interface Customer {
  platform: Platform;
  accountId: string;
  id: string;
  name: string;
  username: string | null;
  profilePic: string | null;
  locale: string | null;
}

export type AttachmentType =
  | "image"
  | "audio"
  | "video"
  | "file"
  | "sticker"
  | "location"
  | "contacts"
  | "story_mention"
  | "share"
  | "fallback"
  | "template";

export interface StoredAttachment {
  type: AttachmentType;
  url: string | null;
  mimeType: string | null;
  name: string | null;
  /** WhatsApp media id (GET /{media-id}). */
  mediaId: string | null;
  sha256: string | null;
  size: number | null;
  voice?: boolean;
  latitude?: number;
  longitude?: number;
  title?: string;
  address?: string;
  contact?: { name: string; phone: string };
}

export type MessageStatus = "sent" | "delivered" | "read" | "failed";

export interface StoredMessage {
  id: string;
  platform: Platform;
  accountId: string;
  customerId: string;
  threadId: string;
  from: "customer" | "business";
  /** Milliseconds since the epoch: the platform's own time for the message. */
  timestamp: number;
  /** text, image, audio, video, file, sticker, location, contacts, share, story_mention, story_reply, template, interactive, button, postback, quick_reply */
  type: string;
  text: string | null;
  attachments: StoredAttachment[];
  replyTo: string | null;
  payload: Record<string, unknown> | null;
  /** Business messages: sent through the app ("app") or typed in Meta's own apps ("native"). */
  sentFrom: "app" | "native" | null;
  status: MessageStatus | null;
  error: { code: number; title: string } | null;
  reactions: { from: "customer" | "business"; emoji: string }[];
  deleted: boolean;
  editCount: number;
  /** Customer messages: marked read by the business (WhatsApp mark-read / Messenger mark_seen). */
  seenByBusiness: boolean;
}

export interface Thread {
  id: string;
  platform: Platform;
  accountId: string;
  customerId: string;
  messages: StoredMessage[];
  /** Last time the customer wrote: opens the 24-hour window. */
  lastCustomerAt: number | null;
}

export interface MediaObject {
  id: string;
  phoneNumberId: string;
  sample: string;
  mimeType: string;
  sha256: string;
  size: number;
  /** Uploaded bytes (POST /{phone-number-id}/media); samples are regenerated instead of stored. */
  bytes: Buffer | null;
}

export interface SendRecord {
  id: string;
  at: string;
  platform: Platform;
  accountId: string;
  recipientId: string;
  path: string;
  request: unknown;
  status: number;
  response: unknown;
  messageId: string | null;
}

export interface OAuthCode {
  code: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

export const threadKey = (platform: Platform, accountId: string, customerId: string) => `${platform}:${accountId}:${customerId}`;
export const customerKey = (platform: Platform, customerId: string) => `${platform}:${customerId}`;

export type StateChange =
  | { kind: "message"; message: StoredMessage }
  | { kind: "update"; message: StoredMessage }
  | { kind: "sent"; record: SendRecord }
  | { kind: "reset" };

export class SandboxState extends EventEmitter {
  readonly accounts = new Map<string, Account>();
  readonly customers = new Map<string, Customer>();
  readonly threads = new Map<string, Thread>();
  readonly messages = new Map<string, StoredMessage>();
  readonly media = new Map<string, MediaObject>();
  readonly sent: SendRecord[] = [];
  readonly oauthCodes = new Map<string, OAuthCode>();
  readonly revokedTokens = new Set<string>();
  /** Account id (page, Instagram account, WABA) → subscribed fields. */
  readonly subscriptions = new Map<string, string[]>();

  constructor(
    readonly fixture: Fixture,
    private readonly publicUrl: () => string,
    private readonly now: () => Date,
  ) {
    super();
    this.setMaxListeners(0);
    this.seed();
  }

  private seed(): void {
    for (const page of this.fixture.pages) {
      this.accounts.set(page.id, {
        platform: "messenger",
        id: page.id,
        name: page.name,
        pageId: page.id,
        wabaId: null,
        username: null,
        displayPhoneNumber: null,
      });
      if (page.instagram)
        this.accounts.set(page.instagram.id, {
          platform: "instagram",
          id: page.instagram.id,
          name: page.instagram.name,
          pageId: page.id,
          wabaId: null,
          username: page.instagram.username,
          displayPhoneNumber: null,
        });
    }
    for (const waba of this.fixture.whatsapp)
      for (const phone of waba.phoneNumbers)
        this.accounts.set(phone.id, {
          platform: "whatsapp",
          id: phone.id,
          name: phone.verifiedName,
          pageId: "",
          wabaId: waba.id,
          username: null,
          displayPhoneNumber: phone.displayPhoneNumber,
        });

    const nowMs = this.now().getTime();
    for (const fixtureCustomer of this.fixture.customers) {
      const accountId = fixtureCustomer.account ?? this.accountsOf(fixtureCustomer.platform)[0]?.id;
      if (!accountId) continue;
      const customer: Customer = {
        platform: fixtureCustomer.platform,
        accountId,
        id: fixtureCustomer.id,
        name: fixtureCustomer.name,
        username: fixtureCustomer.username ?? null,
        profilePic: fixtureCustomer.profilePic ?? null,
        locale: fixtureCustomer.locale ?? null,
      };
      this.customers.set(customerKey(customer.platform, customer.id), customer);
      const thread = this.threadFor(customer);
      const ordered = [...fixtureCustomer.history].sort((a, b) => b.minutesAgo - a.minutesAgo);
      ordered.forEach((item, index) => {
        const seed = `${customer.platform}:${accountId}:${customer.id}:${index}`;
        const attachments = item.attachment ? [this.historyAttachment(customer, item.attachment, seed)] : [];
        const message: StoredMessage = {
          id: messageIdFrom(customer.platform, seed),
          platform: customer.platform,
          accountId,
          customerId: customer.id,
          threadId: thread.id,
          from: item.from,
          timestamp: nowMs - Math.round(item.minutesAgo * 60_000),
          type: item.attachment ? item.attachment.type : "text",
          text: item.text ?? item.attachment?.caption ?? null,
          attachments,
          replyTo: null,
          payload: null,
          sentFrom: item.from === "business" ? (item.sentFrom ?? "app") : null,
          status: item.from === "business" ? (item.read === false ? "delivered" : "read") : null,
          error: null,
          reactions: [],
          deleted: false,
          editCount: 0,
          seenByBusiness: item.from === "customer",
        };
        this.insert(thread, message, false);
      });
    }
  }

  private historyAttachment(customer: Customer, attachment: FixtureAttachment, seed: string): StoredAttachment {
    const base: StoredAttachment = {
      type: attachment.type,
      url: null,
      mimeType: null,
      name: attachment.filename ?? null,
      mediaId: null,
      sha256: null,
      size: null,
    };
    if (attachment.type === "location")
      return {
        ...base,
        latitude: attachment.latitude,
        longitude: attachment.longitude,
        title: attachment.name,
        address: attachment.address,
      };
    if (attachment.type === "contacts") return { ...base, contact: attachment.contact };
    if (attachment.sample && /^https?:\/\//.test(attachment.sample)) return { ...base, url: attachment.sample };
    const sample = sampleFor(attachment.type, attachment.sample);
    if (customer.platform === "whatsapp") {
      const media = this.registerMedia(customer.accountId, sample.name, digitsFrom(`media:${seed}`, 16));
      return {
        ...base,
        mimeType: media.mimeType,
        mediaId: media.id,
        sha256: media.sha256,
        size: media.size,
        voice: attachment.voice,
      };
    }
    return {
      ...base,
      url: this.sampleUrl(sample.name),
      mimeType: sample.mimeType,
      size: sample.bytes.length,
      sha256: sample.sha256,
    };
  }

  sampleUrl(name: string): string {
    return `${this.publicUrl()}/_sandbox/media/${name}`;
  }

  registerMedia(
    phoneNumberId: string,
    sampleName: string,
    id: string,
    bytes: Buffer | null = null,
    mimeType?: string,
  ): MediaObject {
    const sample = sampleFor("image", sampleName);
    const body = bytes ?? sample.bytes;
    const media: MediaObject = {
      id,
      phoneNumberId,
      sample: sample.name,
      mimeType: mimeType ?? sample.mimeType,
      sha256: bytes ? hashHex(bytes) : sample.sha256,
      size: body.length,
      bytes,
    };
    this.media.set(id, media);
    return media;
  }

  mediaBytes(media: MediaObject): Buffer {
    return media.bytes ?? sampleFor("image", media.sample).bytes;
  }

  accountsOf(platform: Platform): Account[] {
    return [...this.accounts.values()].filter((account) => account.platform === platform);
  }

  customer(platform: Platform, id: string): Customer | undefined {
    return this.customers.get(customerKey(platform, id));
  }

  customersOf(accountId: string): Customer[] {
    return [...this.customers.values()].filter((customer) => customer.accountId === accountId);
  }

  /** Creates a customer on first contact, as a stranger writing to a Page would. */
  ensureCustomer(platform: Platform, accountId: string, id: string, name: string): Customer {
    const existing = this.customer(platform, id);
    if (existing) return existing;
    const customer: Customer = { platform, accountId, id, name, username: null, profilePic: null, locale: null };
    this.customers.set(customerKey(platform, id), customer);
    return customer;
  }

  threadFor(customer: Customer): Thread {
    const key = threadKey(customer.platform, customer.accountId, customer.id);
    let thread = this.threads.get(key);
    if (!thread) {
      thread = {
        id: conversationIdFrom(customer.platform, customer.accountId, customer.id),
        platform: customer.platform,
        accountId: customer.accountId,
        customerId: customer.id,
        messages: [],
        lastCustomerAt: null,
      };
      this.threads.set(key, thread);
    }
    return thread;
  }

  threadById(id: string): Thread | undefined {
    for (const thread of this.threads.values()) if (thread.id === id) return thread;
    return undefined;
  }

  threadOf(message: StoredMessage): Thread | undefined {
    return this.threads.get(threadKey(message.platform, message.accountId, message.customerId));
  }

  /** Adds a message in timestamp order and keeps the window bookkeeping right. */
  insert(thread: Thread, message: StoredMessage, notify = true): void {
    const list = thread.messages;
    let index = list.length;
    while (index > 0 && (list[index - 1]?.timestamp ?? 0) > message.timestamp) index--;
    list.splice(index, 0, message);
    this.messages.set(message.id, message);
    if (message.from === "customer") thread.lastCustomerAt = Math.max(thread.lastCustomerAt ?? 0, message.timestamp);
    if (notify) this.emit("change", { kind: "message", message } satisfies StateChange);
  }

  /** A customer action that opens the window without being a message (postback, reaction on WhatsApp…). */
  touchWindow(thread: Thread, at: number): void {
    thread.lastCustomerAt = Math.max(thread.lastCustomerAt ?? 0, at);
  }

  updated(message: StoredMessage): void {
    this.emit("change", { kind: "update", message } satisfies StateChange);
  }

  recordSend(record: SendRecord): void {
    this.sent.push(record);
    if (this.sent.length > 5000) this.sent.splice(0, this.sent.length - 5000);
    this.emit("change", { kind: "sent", record } satisfies StateChange);
  }

  toSnapshot(): Snapshot {
    return {
      version: SNAPSHOT_VERSION,
      customers: [...this.customers.values()],
      threads: [...this.threads.values()],
      media: [...this.media.values()].map((media) => ({ ...media, bytes: media.bytes ? media.bytes.toString("base64") : null })),
      sent: this.sent.slice(-500),
      subscriptions: [...this.subscriptions.entries()],
      revokedTokens: [...this.revokedTokens],
    };
  }

  restore(snapshot: Snapshot): void {
    this.customers.clear();
    this.threads.clear();
    this.messages.clear();
    this.media.clear();
    for (const customer of snapshot.customers) this.customers.set(customerKey(customer.platform, customer.id), customer);
    for (const thread of snapshot.threads) {
      this.threads.set(threadKey(thread.platform, thread.accountId, thread.customerId), thread);
      for (const message of thread.messages) this.messages.set(message.id, message);
    }
    for (const media of snapshot.media)
      this.media.set(media.id, { ...media, bytes: media.bytes ? Buffer.from(media.bytes, "base64") : null });
    this.sent.splice(0, this.sent.length, ...snapshot.sent);
    this.subscriptions.clear();
    for (const [id, fields] of snapshot.subscriptions) this.subscriptions.set(id, fields);
    this.revokedTokens.clear();
    for (const token of snapshot.revokedTokens) this.revokedTokens.add(token);
  }

  /** Back to the fixture's world (history re-anchored to now). */
  reset(): void {
    this.customers.clear();
    this.threads.clear();
    this.messages.clear();
    this.media.clear();
    this.sent.splice(0);
    this.subscriptions.clear();
    this.revokedTokens.clear();
    this.oauthCodes.clear();
    this.seed();
    this.emit("change", { kind: "reset" } satisfies StateChange);
  }
}

function hashHex(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

const SNAPSHOT_VERSION = 1;

export interface Snapshot {
  version: number;
  customers: Customer[];
  threads: Thread[];
  media: (Omit<MediaObject, "bytes"> & { bytes: string | null })[];
  sent: SendRecord[];
  subscriptions: [string, string[]][];
  revokedTokens: string[];
}

/** Reads a persisted state file; undefined when there is none yet. */
export function readSnapshot(file: string): Snapshot | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const snapshot = JSON.parse(text) as Snapshot;
  if (snapshot.version !== SNAPSHOT_VERSION)
    throw new Error(`${file} was written by another sandbox version; delete it to start over`);
  return snapshot;
}

/** Writes atomically (temp file + rename) so a crash mid-write never leaves half a file. */
export function writeSnapshot(file: string, snapshot: Snapshot): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(snapshot));
  fs.renameSync(temp, file);
}
