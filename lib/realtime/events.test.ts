import { describe, expect, it } from "vitest";
import { compareCursors, toWireEvent, type RealtimeEvent } from "./events";

describe("realtime events", () => {
  it("compare cursors as numbers, not text", () => {
    expect(compareCursors("9", "10")).toBe(-1);
    expect(compareCursors("10", "9")).toBe(1);
    expect(compareCursors("9007199254740993", "9007199254740992")).toBe(1);
    expect(compareCursors("42", "42")).toBe(0);
  });

  it("go over the wire as their payload plus cursor and workspace", () => {
    const event: RealtimeEvent<"message_status"> = {
      cursor: "17",
      type: "message_status",
      workspaceId: "w1",
      conversationId: "c1",
      createdAt: "2025-01-01T00:00:00.000Z",
      payload: { messageId: "m1", status: "delivered" },
    };
    expect(toWireEvent(event)).toEqual({ messageId: "m1", status: "delivered", cursor: "17", workspaceId: "w1" });
  });
});
