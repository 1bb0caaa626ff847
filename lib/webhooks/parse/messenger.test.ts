import { describe, expect, it } from "vitest";
import type { NormalizedEntry, NormalizedEvent, NormalizedMessage } from "@/lib/webhooks/events";
import { parseWebhook } from "@/lib/webhooks/parse/index";
import { fixturePayload, listFixtures } from "@/tests/fixtures/webhooks/load";

const PAGE = "106100000000001";
const PSID1 = "7000000000000001";
const PSID2 = "7000000000000002";
const PSID3 = "7000000000000003";
const at = (iso: string) => new Date(iso);

function parsed(kind: string) {
  return parseWebhook("messenger", fixturePayload("messenger", kind));
}

function onePage(events: NormalizedEvent[], extra: Partial<NormalizedEntry> = {}) {
  return {
    object: "page",
    rejected: [],
    entries: [{ platform: "messenger", accountExternalId: PAGE, events, ignored: [], rejected: [], ...extra }],
  };
}

function incoming(
  psid: string,
  message: Partial<NormalizedMessage> & Pick<NormalizedMessage, "externalId" | "sentAt">,
): NormalizedEvent {
  return {
    kind: "message",
    contact: { externalId: psid },
    message: {
      direction: "incoming",
      type: "text",
      text: null,
      payload: null,
      attachments: [],
      replyToExternalId: null,
      appId: null,
      isEcho: false,
      ...message,
    },
  };
}

// Expected output of every fixture in tests/fixtures/webhooks/messenger, written out by hand from the payloads.
const expectations: Record<string, () => unknown> = {
  text: () =>
    onePage([
      incoming(PSID1, {
        externalId: "m_mfx-text-0001",
        text: "Bonjour ! Ça coûte combien, la crème brûlée ? 😋",
        sentAt: at("2026-11-02T09:00:00.123Z"),
      }),
    ]),
  "text-unicode": () =>
    onePage([
      incoming(PSID2, {
        externalId: "m_mfx-unicode-0001",
        text: "  Emoji 👍🏽 🧑\u200D🚀 𝄞 · عربي: مرحبا بك · עברית: שלום · <script>alert('x')</script><b>bold</b> &amp; · bell:\u0007 · tab:\t · end  ",
        sentAt: at("2026-11-02T09:05:00.000Z"),
      }),
    ]),
  "quick-reply": () =>
    onePage([
      incoming(PSID1, {
        externalId: "m_mfx-quick-0001",
        type: "interactive",
        text: "Yes, book it 📅",
        payload: { kind: "quick_reply", payload: "BOOK_SLOT_2026-11-05T10:00" },
        sentAt: at("2026-11-02T09:10:00.000Z"),
      }),
    ]),
  "reply-to": () =>
    onePage([
      incoming(PSID1, {
        externalId: "m_mfx-reply-0001",
        text: "Which one?",
        replyToExternalId: "m_mfx-echo-app-0001",
        sentAt: at("2026-11-02T09:15:00.000Z"),
      }),
    ]),
  "attachment-image": () =>
    onePage([
      incoming(PSID1, {
        externalId: "m_mfx-image-0001",
        type: "image",
        attachments: [
          {
            type: "image",
            url: "https://scontent.xx.fbcdn.net/v/t1.15752-9/fixture-photo-1.jpg?_nc_cat=1&oh=00_fixture&oe=6A000001",
            mimeType: null,
            name: null,
          },
          {
            type: "image",
            url: "https://scontent.xx.fbcdn.net/v/t1.15752-9/fixture-photo-2.jpg?_nc_cat=1&oh=00_fixture&oe=6A000002",
            mimeType: null,
            name: null,
          },
        ],
        sentAt: at("2026-11-02T09:20:00.000Z"),
      }),
    ]),
  "attachment-audio": () =>
    onePage([
      incoming(PSID1, {
        externalId: "m_mfx-audio-0001",
        type: "audio",
        attachments: [
          {
            type: "audio",
            url: "https://cdn.fbsbx.com/v/t59.3654-21/fixture-voice-clip.mp4/audioclip.mp4?_nc_cat=1&oh=03_fixture",
            mimeType: null,
            name: null,
          },
        ],
        sentAt: at("2026-11-02T09:21:00.000Z"),
      }),
    ]),
  "attachment-video": () =>
    onePage([
      incoming(PSID1, {
        externalId: "m_mfx-video-0001",
        type: "video",
        attachments: [
          {
            type: "video",
            url: "https://video.xx.fbcdn.net/v/t42.3356-2/fixture-video.mp4?_nc_cat=1&oh=00_fixture",
            mimeType: null,
            name: null,
          },
        ],
        sentAt: at("2026-11-02T09:22:00.000Z"),
      }),
    ]),
  "attachment-file": () =>
    onePage([
      incoming(PSID1, {
        externalId: "m_mfx-file-0001",
        type: "file",
        attachments: [
          {
            type: "file",
            url: "https://cdn.fbsbx.com/v/t59.2708-21/fixture-invoice.pdf/invoice.pdf?_nc_cat=1&oh=03_fixture",
            mimeType: null,
            name: null,
          },
        ],
        sentAt: at("2026-11-02T09:23:00.000Z"),
      }),
    ]),
  "attachment-sticker": () =>
    onePage([
      incoming(PSID1, {
        externalId: "m_mfx-sticker-0001",
        type: "sticker",
        // The transition's duplicate `image` copy is dropped: one sticker, not a sticker and a photo.
        attachments: [
          {
            type: "sticker",
            url: "https://scontent.xx.fbcdn.net/v/t39.1997-6/fixture-sticker.png?_nc_cat=1",
            mimeType: null,
            name: null,
          },
        ],
        sentAt: at("2026-11-02T09:24:00.000Z"),
      }),
    ]),
  "attachment-fallback": () =>
    onePage([
      incoming(PSID1, {
        externalId: "m_mfx-fallback-0001",
        type: "share",
        attachments: [
          { type: "fallback", url: "https://example.com/menu?lang=fr", mimeType: null, name: "Notre carte — Bistro" },
        ],
        sentAt: at("2026-11-02T09:25:00.000Z"),
      }),
      incoming(PSID1, {
        externalId: "m_mfx-fallback-0002",
        type: "unsupported",
        attachments: [{ type: "fallback", url: null, mimeType: null, name: null }],
        sentAt: at("2026-11-02T09:25:30.000Z"),
      }),
    ]),
  "message-referral-ad": () =>
    onePage([
      incoming("7000000000000004", {
        externalId: "m_mfx-adref-0001",
        text: "Is the winter menu still on?",
        payload: {
          referral: {
            ref: "winter-menu",
            ad_id: "120200000000001",
            source: "ADS",
            type: "OPEN_THREAD",
            ads_context_data: {
              ad_title: "Winter menu",
              photo_url: "https://scontent.xx.fbcdn.net/v/fixture-ad.jpg",
              post_id: "106100000000001_900000000000001",
            },
          },
        },
        sentAt: at("2026-11-02T09:30:00.000Z"),
      }),
    ]),
  "echo-app": () =>
    onePage([
      incoming(PSID1, {
        externalId: "m_mfx-echo-app-0001",
        direction: "outgoing",
        text: "Your table is booked for 19:30 ✅",
        sentAt: at("2026-11-02T09:35:00.000Z"),
        appId: "100000000000001",
        isEcho: true,
      }),
      incoming(PSID1, {
        externalId: "m_mfx-echo-app-0002",
        direction: "outgoing",
        type: "template",
        payload: {
          template: {
            template_type: "generic",
            elements: [
              {
                title: "Bistro — menu",
                subtitle: "Open until 23:00",
                buttons: [{ type: "postback", title: "Talk to a human", payload: "HANDOFF" }],
              },
            ],
          },
        },
        sentAt: at("2026-11-02T09:35:10.000Z"),
        appId: "100000000000001",
        isEcho: true,
      }),
    ]),
  "echo-native": () =>
    onePage([
      incoming(PSID2, {
        externalId: "m_mfx-echo-native-0001",
        direction: "outgoing",
        text: "Sent from Business Suite",
        sentAt: at("2026-11-02T09:40:00.000Z"),
        appId: "200000000000002",
        isEcho: true,
      }),
      incoming(PSID2, {
        externalId: "m_mfx-echo-native-0002",
        direction: "outgoing",
        text: "Typed on the phone 📱",
        sentAt: at("2026-11-02T09:40:20.000Z"),
        appId: null,
        isEcho: true,
      }),
    ]),
  delivery: () =>
    onePage([
      {
        kind: "watermark",
        contact: { externalId: PSID1 },
        status: "delivered",
        watermark: at("2026-11-02T09:35:10.000Z"),
        messageExternalIds: ["m_mfx-echo-app-0001", "m_mfx-echo-app-0002"],
        // No timestamp in Meta's delivery example: the watermark stands in for it.
        at: at("2026-11-02T09:35:10.000Z"),
      },
      {
        kind: "watermark",
        contact: { externalId: PSID2 },
        status: "delivered",
        watermark: at("2026-11-02T09:40:20.000Z"),
        messageExternalIds: [],
        at: at("2026-11-02T09:41:00.000Z"),
      },
    ]),
  read: () =>
    onePage([
      {
        kind: "watermark",
        contact: { externalId: PSID1 },
        status: "read",
        watermark: at("2026-11-02T09:35:10.000Z"),
        messageExternalIds: [],
        at: at("2026-11-02T09:45:00.000Z"),
      },
    ]),
  reaction: () =>
    onePage([
      {
        kind: "reaction",
        contact: { externalId: PSID1 },
        messageExternalId: "m_mfx-echo-app-0001",
        emoji: "❤️",
        from: "customer",
        at: at("2026-11-02T09:46:00.000Z"),
      },
    ]),
  "reaction-unreact": () =>
    onePage([
      {
        kind: "reaction",
        contact: { externalId: PSID1 },
        messageExternalId: "m_mfx-echo-app-0001",
        emoji: null,
        from: "customer",
        at: at("2026-11-02T09:47:00.000Z"),
      },
    ]),
  postback: () =>
    onePage([
      incoming(PSID1, {
        externalId: "m_mfx-postback-0001",
        type: "interactive",
        text: "Talk to a human",
        payload: { kind: "postback", payload: "HANDOFF" },
        sentAt: at("2026-11-02T09:50:00.000Z"),
      }),
    ]),
  "postback-get-started": () =>
    onePage([
      incoming("7000000000000005", {
        // No mid: a deterministic id from sender, timestamp (ms) and payload.
        externalId: "postback:7000000000000005:1793613060000:GET_STARTED",
        type: "interactive",
        text: "Get Started",
        payload: {
          kind: "postback",
          payload: "GET_STARTED",
          referral: { ref: "winter-promo", source: "SHORTLINK", type: "OPEN_THREAD" },
        },
        sentAt: at("2026-11-02T09:51:00.000Z"),
      }),
    ]),
  referral: () =>
    onePage([
      {
        kind: "contact_activity",
        contact: { externalId: PSID1 },
        at: at("2026-11-02T09:55:00.000Z"),
        payload: { kind: "referral", referral: { ref: "table-qr-12", source: "SHORTLINK", type: "OPEN_THREAD" } },
      },
      {
        kind: "contact_activity",
        contact: { externalId: PSID2 },
        at: at("2026-11-02T09:55:30.000Z"),
        payload: {
          kind: "referral",
          referral: {
            ref: "winter-menu",
            ad_id: "120200000000001",
            source: "ADS",
            type: "OPEN_THREAD",
            ads_context_data: { ad_title: "Winter menu", post_id: "106100000000001_900000000000001" },
          },
        },
      },
    ]),
  "message-edit": () =>
    onePage([
      {
        kind: "message_edit",
        contact: { externalId: PSID1 },
        messageExternalId: "m_mfx-text-0001",
        text: "Bonjour ! Ça coûte combien, la tarte Tatin ? 🥧",
        at: at("2026-11-02T10:00:00.000Z"),
      },
    ]),
  optin: () =>
    onePage(
      [
        {
          kind: "contact_activity",
          contact: { externalId: "7000000000000006" },
          at: at("2026-11-02T10:05:00.000Z"),
          payload: { kind: "optin", optin: { ref: "website-footer" } },
        },
      ],
      {
        ignored: [
          {
            path: "entry[0].messaging[1]",
            reason:
              "optin of type notification_messages changes a Marketing Messages subscription; it does not open the messaging window",
          },
          { path: "entry[0].messaging[2]", reason: "optin from the checkbox plugin identifies the person by user_ref only" },
        ],
      },
    ),
  standby: () =>
    onePage([], {
      ignored: [
        { path: "entry[0].messaging[0]", reason: "pass_thread_control: handover protocol events are not used by the inbox" },
        {
          path: "entry[0].standby[0]",
          reason: "standby: the message belongs to a thread another app controls (handover protocol); that app's inbox owns it",
        },
      ],
    }),
  batched: () => ({
    object: "page",
    rejected: [],
    entries: [
      {
        platform: "messenger",
        accountExternalId: PAGE,
        events: [
          incoming(PSID3, { externalId: "m_mfx-batch-0001", text: "First", sentAt: at("2026-11-02T10:15:00.000Z") }),
          incoming(PSID3, { externalId: "m_mfx-batch-0002", text: "Second", sentAt: at("2026-11-02T10:15:01.000Z") }),
          {
            kind: "watermark",
            contact: { externalId: PSID1 },
            status: "read",
            watermark: at("2026-11-02T09:35:10.000Z"),
            messageExternalIds: [],
            at: at("2026-11-02T10:15:02.000Z"),
          },
          {
            kind: "reaction",
            contact: { externalId: PSID1 },
            messageExternalId: "m_mfx-echo-app-0002",
            emoji: "👍",
            from: "customer",
            at: at("2026-11-02T10:15:03.000Z"),
          },
        ],
        ignored: [],
        rejected: [],
      },
      {
        platform: "messenger",
        accountExternalId: "106100000000002",
        events: [
          incoming("7000000000000009", {
            externalId: "m_mfx-batch-other-0001",
            text: "Hi other page",
            sentAt: at("2026-11-02T10:15:04.000Z"),
          }),
        ],
        ignored: [],
        rejected: [],
      },
      {
        platform: "messenger",
        accountExternalId: PAGE,
        events: [],
        ignored: [{ path: "entry[2].changes[0]", reason: 'Page "feed" change notifications are not used by the inbox' }],
        rejected: [],
      },
    ],
  }),
};

describe("parseWebhook for Messenger fixtures", () => {
  it("has a written expectation for every fixture file, and a fixture for every expectation", () => {
    expect(Object.keys(expectations).sort()).toEqual(listFixtures("messenger"));
  });

  for (const kind of listFixtures("messenger")) {
    it(`normalizes the ${kind} fixture exactly`, () => {
      const expected = expectations[kind];
      expect(expected, `no expectation for ${kind}`).toBeDefined();
      expect(parsed(kind)).toStrictEqual(expected?.());
    });
  }
});

describe("parseWebhook for Messenger edge cases", () => {
  const envelope = (item: Record<string, unknown>) => ({ object: "page", entry: [{ id: PAGE, time: 1, messaging: [item] }] });
  const base = { sender: { id: PSID1 }, recipient: { id: PAGE }, timestamp: 1_793_610_000_000 };

  it("turns a legacy location attachment into a location message with the coordinates in the payload", () => {
    const result = parseWebhook(
      "messenger",
      envelope({
        ...base,
        message: {
          mid: "m_loc",
          attachments: [
            {
              type: "location",
              title: "Pinned Location",
              url: "https://l.facebook.com/x",
              payload: { coordinates: { lat: 48.85, long: 2.35 } },
            },
          ],
        },
      }),
    );
    const event = result.entries[0]?.events[0];
    expect(event).toMatchObject({
      kind: "message",
      message: {
        type: "location",
        attachments: [],
        payload: { latitude: 48.85, longitude: 2.35, name: "Pinned Location", address: null },
      },
    });
  });

  it("ignores a message from a chat plugin guest who has only a user_ref", () => {
    const result = parseWebhook(
      "messenger",
      envelope({ ...base, sender: { user_ref: "guest-1" }, message: { mid: "m_guest", text: "hi" } }),
    );
    expect(result.entries[0]?.events).toEqual([]);
    expect(result.entries[0]?.ignored).toEqual([
      { path: "entry[0].messaging[0]", reason: "sender is identified only by a user_ref (chat plugin guest)" },
    ]);
  });

  it("rejects a message whose timestamp is a string rather than epoch milliseconds", () => {
    const result = parseWebhook("messenger", envelope({ ...base, timestamp: "1793610000", message: { mid: "m_s", text: "hi" } }));
    expect(result.entries[0]?.events).toEqual([]);
    expect(result.entries[0]?.rejected).toHaveLength(1);
    expect(result.entries[0]?.rejected[0]?.path).toBe("entry[0].messaging[0]");
    expect(result.entries[0]?.rejected[0]?.reason).toContain("entry[0].messaging[0].timestamp");
  });

  it("marks a reaction sent by the page itself as from the business, with the customer as contact", () => {
    const result = parseWebhook(
      "messenger",
      envelope({
        sender: { id: PAGE },
        recipient: { id: PSID1 },
        timestamp: 1_793_610_000_000,
        reaction: { mid: "m_x", action: "react", emoji: "😂" },
      }),
    );
    expect(result.entries[0]?.events[0]).toEqual({
      kind: "reaction",
      contact: { externalId: PSID1 },
      messageExternalId: "m_x",
      emoji: "😂",
      from: "business",
      at: new Date(1_793_610_000_000),
    });
  });

  it("maps a reaction that names the reaction but carries no emoji to that reaction's emoji", () => {
    const result = parseWebhook("messenger", envelope({ ...base, reaction: { mid: "m_x", action: "react", reaction: "like" } }));
    expect(result.entries[0]?.events[0]).toMatchObject({ kind: "reaction", emoji: "👍" });
  });

  it("keeps the other items of an entry when one of them is malformed", () => {
    const result = parseWebhook("messenger", {
      object: "page",
      entry: [
        {
          id: PAGE,
          messaging: [
            { ...base, message: { mid: "m_ok_1", text: "one" } },
            { ...base, message: { mid: 42, text: "broken" } },
            { ...base, message: { mid: "m_ok_2", text: "two" } },
          ],
        },
      ],
    });
    const entry = result.entries[0];
    expect(entry?.events.map((event) => (event.kind === "message" ? event.message.externalId : event.kind))).toEqual([
      "m_ok_1",
      "m_ok_2",
    ]);
    expect(entry?.rejected.map((issue) => issue.path)).toEqual(["entry[0].messaging[1]"]);
  });

  it("lists a field Meta added to a messaging item as ignored and still ingests the event", () => {
    const result = parseWebhook("messenger", envelope({ ...base, message: { mid: "m_new", text: "hi" }, brand_new: { x: 1 } }));
    expect(result.entries[0]?.events).toHaveLength(1);
    expect(result.entries[0]?.ignored).toEqual([
      { path: "entry[0].messaging[0].brand_new", reason: "unknown field, not used by the inbox (kept in the raw event)" },
    ]);
  });

  it("keeps the other entries when one entry has no usable page id", () => {
    const result = parseWebhook("messenger", {
      object: "page",
      entry: [
        { id: 106100000000001, messaging: [{ ...base, message: { mid: "m_lost", text: "x" } }] },
        { id: PAGE, messaging: [{ ...base, message: { mid: "m_kept", text: "y" } }] },
      ],
    });
    expect(result.rejected.map((issue) => issue.path)).toEqual(["entry[0]"]);
    expect(result.entries).toHaveLength(1);
    expect(result.entries[0]?.events).toHaveLength(1);
  });
});
