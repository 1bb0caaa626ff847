import { describe, expect, it } from "vitest";
import { inboxReducer, initialInboxState, nextStatus, type InboxState } from "./inbox-store";
import { placeholdersOf, renderTemplate, templateComponents } from "./template-picker";
import type { Conversation, Filters, Message, ThreadMessage } from "./types";

const all: Filters = { platform: null, unread: false, archived: false, q: "" };

function conversation(id: string, minutesAgo: number, patch: Partial<Conversation> = {}): Conversation {
  return {
    id,
    platform: "messenger",
    platformId: "p1",
    participant: { id: `contact-${id}`, externalId: `ext-${id}`, name: `Customer ${id}`, username: null, avatarUrl: null },
    lastMessageAt: new Date(Date.UTC(2026, 0, 1, 12, 0) - minutesAgo * 60_000).toISOString(),
    lastMessagePreview: "hi",
    lastMessageDirection: "incoming",
    unreadCount: 1,
    isArchived: false,
    canReply: true,
    replyWindowEndsAt: null,
    ...patch,
  };
}

function message(id: string, minute: number, patch: Partial<ThreadMessage> = {}): ThreadMessage {
  return {
    id,
    conversationId: "a",
    platform: "messenger",
    externalId: `mid-${id}`,
    direction: "incoming",
    type: "text",
    text: `text ${id}`,
    payload: null,
    attachments: [],
    reactions: [],
    senderId: null,
    senderName: null,
    status: "received",
    isRead: false,
    sentAt: new Date(Date.UTC(2026, 0, 1, 12, minute)).toISOString(),
    replyToId: null,
    replyToExternalId: null,
    sentFrom: null,
    error: null,
    editedAt: null,
    deletedAt: null,
    ...patch,
  };
}

function state(conversations: Conversation[], nextCursor: string | null = null, messages: Message[] = []): InboxState {
  return initialInboxState({
    key: "",
    conversations,
    nextCursor,
    summary: { platforms: [], totalUnread: 0 },
    open: conversations[0] ? { conversation: conversations[0], messages: [...messages].reverse(), nextCursor: null } : null,
  });
}

describe("the inbox reducer", () => {
  it("moves a conversation with a new message to the top of the list", () => {
    const before = state([conversation("a", 1), conversation("b", 2), conversation("c", 3)]);
    const after = inboxReducer(before, { type: "conversation/upsert", conversation: conversation("c", 0), filters: all });
    expect(after.list.ids).toEqual(["c", "a", "b"]);
  });

  it("adds a new conversation only where it belongs under the filters", () => {
    const before = state([conversation("a", 1)]);
    const whatsapp = conversation("w", 0, { platform: "whatsapp" });
    expect(inboxReducer(before, { type: "conversation/upsert", conversation: whatsapp, filters: all }).list.ids).toEqual([
      "w",
      "a",
    ]);
    const messengerOnly = { ...all, platform: "messenger" as const };
    expect(
      inboxReducer(before, { type: "conversation/upsert", conversation: whatsapp, filters: messengerOnly }).list.ids,
    ).toEqual(["a"]);
    // Under a search the server decides what matches: nothing is added.
    expect(
      inboxReducer(before, { type: "conversation/upsert", conversation: whatsapp, filters: { ...all, q: "x" } }).list.ids,
    ).toEqual(["a"]);
  });

  it("does not append an older conversation past the loaded page when more pages exist", () => {
    const before = state([conversation("a", 1)], "cursor");
    const older = conversation("z", 60);
    expect(inboxReducer(before, { type: "conversation/upsert", conversation: older, filters: all }).list.ids).toEqual(["a"]);
  });

  it("archiving takes a conversation out of the inbox, but reading keeps the open one under Unread", () => {
    const unread = { ...all, unread: true };
    const before = state([conversation("a", 1), conversation("b", 2)]);
    const archived = inboxReducer(before, { type: "conversation/patch", id: "a", patch: { isArchived: true }, filters: all });
    expect(archived.list.ids).toEqual(["b"]);
    const read = inboxReducer(before, {
      type: "messages/read",
      conversationId: "a",
      messageIds: [],
      unreadCount: 0,
      filters: unread,
      keep: true,
    });
    expect(read.list.ids).toEqual(["a", "b"]);
    expect(read.conversations.a?.unreadCount).toBe(0);
  });

  it("never moves a message's status backwards", () => {
    expect(nextStatus("read", "delivered")).toBe("read");
    expect(nextStatus("sent", "delivered")).toBe("delivered");
    expect(nextStatus("pending", "failed")).toBe("failed");
    expect(nextStatus("failed", "sent")).toBe("sent");
    expect(nextStatus("delivered", "failed")).toBe("delivered");
  });

  it("replaces an optimistic send with the stored message and keeps sends in flight last", () => {
    const before = state([conversation("a", 1)], null, [message("m1", 1)]);
    const local = message("local-1", 30, {
      direction: "outgoing",
      status: "pending",
      local: { body: { conversationId: "a", text: "hi" } },
    });
    const withLocal = inboxReducer(before, { type: "message/upsert", message: local });
    const incoming = inboxReducer(withLocal, { type: "message/upsert", message: message("m2", 2) });
    expect(incoming.threads.a?.messages.map((m) => m.id)).toEqual(["m1", "m2", "local-1"]);
    const stored = message("s1", 3, { direction: "outgoing", status: "sent" });
    const replaced = inboxReducer(incoming, { type: "message/upsert", message: stored, replaces: "local-1" });
    expect(replaced.threads.a?.messages.map((m) => m.id)).toEqual(["m1", "m2", "s1"]);
    const status = inboxReducer(replaced, { type: "message/status", id: "s1", status: "delivered" });
    expect(status.threads.a?.messages.at(-1)?.status).toBe("delivered");
  });

  it("keeps a message an event brought while the thread's first page was loading", () => {
    const before = state([conversation("a", 1), conversation("b", 2)]);
    const loading = inboxReducer(before, { type: "thread/loading", id: "b" });
    const live = inboxReducer(loading, { type: "message/upsert", message: message("live", 9, { conversationId: "b" }) });
    const loaded = inboxReducer(live, {
      type: "thread/loaded",
      id: "b",
      messages: [message("old", 1, { conversationId: "b" })],
      nextCursor: null,
      mode: "first",
    });
    expect(loaded.threads.b?.messages.map((m) => m.id)).toEqual(["old", "live"]);
  });

  it("keeps an echo folded into our send out of the thread, whichever order its events and pages arrive in", () => {
    const before = state([conversation("a", 1)], null, [message("m1", 1)]);
    const sent = message("s1", 3, { direction: "outgoing", status: "sent", externalId: "mid.1" });
    const echo = message("e1", 3, { direction: "outgoing", status: "sent", externalId: "mid.1" });
    // The fold (message_updated replacing the echo) overtakes the echo's own new_message ...
    const folded = inboxReducer(before, { type: "message/upsert", message: sent, replaces: "e1" });
    const lateEcho = inboxReducer(folded, { type: "message/upsert", message: echo });
    expect(lateEcho.threads.a?.messages.map((m) => m.id)).toEqual(["m1", "s1"]);
    // ... and a page fetched before the fold still lists the echo.
    const page = inboxReducer(lateEcho, {
      type: "thread/loaded",
      id: "a",
      messages: [echo, message("m1", 1)],
      nextCursor: null,
      mode: "refresh",
    });
    expect(page.threads.a?.messages.map((m) => m.id)).toEqual(["m1", "s1"]);
  });

  it("keeps conversations that events brought while a list request was out, over the request's older answer", () => {
    const before = state([conversation("a", 5), conversation("b", 10)]);
    const since = before.clock;
    // The request leaves; then a customer writes in a conversation the answer will not have, and in "b".
    const withNew = inboxReducer(before, { type: "conversation/upsert", conversation: conversation("c", 0), filters: all });
    const withEvents = inboxReducer(withNew, {
      type: "conversation/upsert",
      conversation: conversation("b", 1, { lastMessagePreview: "new in b", unreadCount: 2 }),
      filters: all,
    });
    const answer = [conversation("a", 5), conversation("b", 10)];
    const loaded = inboxReducer(withEvents, {
      type: "list/loaded",
      key: "",
      conversations: answer,
      nextCursor: null,
      append: false,
      since,
      filters: all,
    });
    expect(loaded.list.ids).toEqual(["c", "b", "a"]);
    expect(loaded.conversations.b?.lastMessagePreview).toBe("new in b");
    // An answer requested after the events is taken as it is.
    const later = inboxReducer(loaded, {
      type: "list/loaded",
      key: "",
      conversations: [conversation("a", 5)],
      nextCursor: null,
      append: false,
      since: loaded.clock,
      filters: all,
    });
    expect(later.list.ids).toEqual(["a"]);
  });

  it("after a reconnection merges the newest page, or starts over when it does not reach what was shown", () => {
    const before = state([conversation("a", 1)], null, [message("m1", 1), message("m2", 2)]);
    const merged = inboxReducer(before, {
      type: "thread/loaded",
      id: "a",
      messages: [message("m3", 3), message("m2", 2)],
      nextCursor: "older",
      mode: "refresh",
    });
    expect(merged.threads.a?.messages.map((m) => m.id)).toEqual(["m1", "m2", "m3"]);
    const gap = inboxReducer(before, {
      type: "thread/loaded",
      id: "a",
      messages: [message("m9", 9), message("m8", 8)],
      nextCursor: "older",
      mode: "refresh",
    });
    expect(gap.threads.a?.messages.map((m) => m.id)).toEqual(["m8", "m9"]);
    expect(gap.threads.a?.nextCursor).toBe("older");
  });
});

describe("WhatsApp templates", () => {
  it("turns {{n}} placeholders into body parameters in order", () => {
    const body = "Hi {{1}}, order {{2}} is ready. Thanks, {{1}}!";
    expect(placeholdersOf(body)).toEqual(["1", "2"]);
    expect(renderTemplate(body, { "1": "Priya", "2": "A-1042" })).toBe("Hi Priya, order A-1042 is ready. Thanks, Priya!");
    expect(templateComponents(body, { "1": "Priya", "2": "A-1042" })).toEqual([
      {
        type: "body",
        parameters: [
          { type: "text", text: "Priya" },
          { type: "text", text: "A-1042" },
        ],
      },
    ]);
    expect(templateComponents("Hello World", {})).toBeUndefined();
  });
});
