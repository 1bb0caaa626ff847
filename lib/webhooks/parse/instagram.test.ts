import { describe, expect, it } from "vitest";
import type { NormalizedAttachment, NormalizedEntry, NormalizedEvent, NormalizedMessage } from "@/lib/webhooks/events";
import { parseWebhook } from "@/lib/webhooks/parse/index";
import { fixturePayload, listFixtures } from "@/tests/fixtures/webhooks/load";

const IG = "17841400000000001";
const IGSID1 = "7100000000000001";
const IGSID2 = "7100000000000002";
const IGSID3 = "7100000000000003";
const CDN = "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=";
const at = (iso: string) => new Date(iso);

function oneAccount(events: NormalizedEvent[], extra: Partial<NormalizedEntry> = {}) {
  return {
    object: "instagram",
    rejected: [],
    entries: [{ platform: "instagram", accountExternalId: IG, events, ignored: [], rejected: [], ...extra }],
  };
}

function incoming(
  igsid: string,
  message: Partial<NormalizedMessage> & Pick<NormalizedMessage, "externalId" | "sentAt">,
): NormalizedEvent {
  return {
    kind: "message",
    contact: { externalId: igsid },
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

const media = (type: NormalizedAttachment["type"], asset: string): NormalizedAttachment => ({
  type,
  url: `${CDN}${asset}&signature=x`,
  mimeType: null,
  name: null,
});

// Expected output of every fixture in tests/fixtures/webhooks/instagram, written out by hand from the payloads.
const expectations: Record<string, () => unknown> = {
  text: () =>
    oneAccount([
      incoming(IGSID1, {
        externalId: "aWdfZAG1fixture-text-0001",
        text: "Hola! ¿Tienen envíos a Canarias? 🇪🇸",
        sentAt: at("2026-11-03T08:00:00.250Z"),
      }),
    ]),
  "text-unicode": () =>
    oneAccount([
      incoming(IGSID2, {
        externalId: "aWdfZAG1fixture-unicode-0001",
        text: "  Emoji 👍🏽 🧑\u200D🚀 𝄞 · عربي: مرحبا بك · עברית: שלום · <script>alert('x')</script><b>bold</b> &amp; · bell:\u0007 · tab:\t · end  ",
        sentAt: at("2026-11-03T08:05:00.000Z"),
      }),
    ]),
  "attachments-media": () =>
    oneAccount([
      incoming(IGSID1, {
        externalId: "aWdfZAG1fixture-image-0001",
        type: "image",
        attachments: [media("image", "fixture-image")],
        sentAt: at("2026-11-03T08:10:00.000Z"),
      }),
      incoming(IGSID1, {
        externalId: "aWdfZAG1fixture-video-0001",
        type: "video",
        attachments: [media("video", "fixture-video")],
        sentAt: at("2026-11-03T08:10:10.000Z"),
      }),
      incoming(IGSID1, {
        externalId: "aWdfZAG1fixture-audio-0001",
        type: "audio",
        attachments: [media("audio", "fixture-audio")],
        sentAt: at("2026-11-03T08:10:20.000Z"),
      }),
      incoming(IGSID1, {
        externalId: "aWdfZAG1fixture-file-0001",
        type: "file",
        attachments: [media("file", "fixture-file")],
        sentAt: at("2026-11-03T08:10:30.000Z"),
      }),
    ]),
  share: () =>
    oneAccount([
      incoming(IGSID1, {
        externalId: "aWdfZAG1fixture-share-0001",
        type: "share",
        attachments: [media("share", "fixture-post")],
        sentAt: at("2026-11-03T08:15:00.000Z"),
      }),
    ]),
  "ig-reel": () =>
    oneAccount([
      incoming(IGSID1, {
        externalId: "aWdfZAG1fixture-igreel-0001",
        type: "share",
        attachments: [{ ...media("share", "fixture-reel-1"), name: "Our kitchen at 7am 🍳" }],
        sentAt: at("2026-11-03T08:20:00.000Z"),
      }),
      incoming(IGSID2, {
        externalId: "aWdfZAG1fixture-reel-0001",
        type: "share",
        attachments: [{ ...media("share", "fixture-reel-2"), name: "Plating" }],
        sentAt: at("2026-11-03T08:20:30.000Z"),
      }),
    ]),
  "story-mention": () =>
    oneAccount([
      incoming(IGSID3, {
        externalId: "aWdfZAG1fixture-mention-0001",
        type: "story_mention",
        attachments: [media("story", "fixture-story-mention")],
        sentAt: at("2026-11-03T08:25:00.000Z"),
      }),
    ]),
  "story-reply": () =>
    oneAccount([
      incoming(IGSID3, {
        externalId: "aWdfZAG1fixture-storyreply-0001",
        text: "Where is this? 😍",
        payload: { story: { url: `${CDN}fixture-story&signature=x`, id: "17900000000000001" } },
        // The reply quotes a story, not a message.
        replyToExternalId: null,
        sentAt: at("2026-11-03T08:30:00.000Z"),
      }),
    ]),
  "reply-to": () =>
    oneAccount([
      incoming(IGSID1, {
        externalId: "aWdfZAG1fixture-reply-0001",
        text: "This one please",
        replyToExternalId: "aWdfZAG1fixture-echo-app-0001",
        sentAt: at("2026-11-03T08:35:00.000Z"),
      }),
    ]),
  "quick-reply": () =>
    oneAccount([
      incoming(IGSID1, {
        externalId: "aWdfZAG1fixture-quick-0001",
        type: "interactive",
        text: "Size M",
        payload: { kind: "quick_reply", payload: "SIZE_M" },
        sentAt: at("2026-11-03T08:40:00.000Z"),
      }),
    ]),
  "fallback-unsupported": () =>
    oneAccount([
      incoming(IGSID2, {
        externalId: "aWdfZAG1fixture-fallback-0001",
        type: "share",
        attachments: [{ type: "fallback", url: "https://example.com/lookbook", mimeType: null, name: "Lookbook" }],
        sentAt: at("2026-11-03T08:45:00.000Z"),
      }),
      incoming(IGSID2, {
        externalId: "aWdfZAG1fixture-unsupatt-0001",
        type: "unsupported",
        attachments: [{ type: "unsupported", url: null, mimeType: null, name: null }],
        sentAt: at("2026-11-03T08:45:10.000Z"),
      }),
    ]),
  "is-unsupported": () =>
    oneAccount([
      incoming(IGSID2, {
        externalId: "aWdfZAG1fixture-unsupported-0001",
        type: "unsupported",
        sentAt: at("2026-11-03T08:50:00.000Z"),
      }),
    ]),
  deleted: () =>
    oneAccount([
      {
        kind: "message_delete",
        contact: { externalId: IGSID1 },
        messageExternalId: "aWdfZAG1fixture-text-0001",
        at: at("2026-11-03T08:55:00.000Z"),
      },
    ]),
  echo: () =>
    oneAccount([
      incoming(IGSID1, {
        externalId: "aWdfZAG1fixture-echo-app-0001",
        direction: "outgoing",
        text: "We ship to the Canaries in 3–5 days 📦",
        sentAt: at("2026-11-03T09:00:00.000Z"),
        appId: "100000000000001",
        isEcho: true,
      }),
      incoming(IGSID1, {
        externalId: "aWdfZAG1fixture-echo-native-0001",
        direction: "outgoing",
        type: "image",
        attachments: [media("image", "fixture-echo-image")],
        sentAt: at("2026-11-03T09:00:30.000Z"),
        appId: null,
        isEcho: true,
      }),
    ]),
  reaction: () =>
    oneAccount([
      {
        kind: "reaction",
        contact: { externalId: IGSID1 },
        messageExternalId: "aWdfZAG1fixture-echo-app-0001",
        emoji: "❤️",
        from: "customer",
        at: at("2026-11-03T09:05:00.000Z"),
      },
    ]),
  "reaction-unreact": () =>
    oneAccount([
      {
        kind: "reaction",
        contact: { externalId: IGSID1 },
        messageExternalId: "aWdfZAG1fixture-echo-app-0001",
        emoji: null,
        from: "customer",
        at: at("2026-11-03T09:06:00.000Z"),
      },
    ]),
  seen: () =>
    oneAccount([
      {
        kind: "status",
        contact: { externalId: IGSID1 },
        messageExternalId: "aWdfZAG1fixture-echo-app-0001",
        status: "read",
        at: at("2026-11-03T09:10:00.000Z"),
      },
    ]),
  postback: () =>
    oneAccount([
      incoming("7100000000000004", {
        externalId: "aWdfZAG1fixture-postback-0001",
        type: "interactive",
        text: "Opening hours?",
        payload: { kind: "postback", payload: "ICEBREAKER_HOURS" },
        sentAt: at("2026-11-03T09:15:00.000Z"),
      }),
    ]),
  referral: () =>
    oneAccount([
      {
        kind: "contact_activity",
        contact: { externalId: IGSID1 },
        at: at("2026-11-03T09:20:00.000Z"),
        payload: { kind: "referral", referral: { ref: "bio-link", source: "IGME_SOURCE_LINK", type: "OPEN_THREAD" } },
      },
    ]),
  "message-referral-product": () =>
    oneAccount([
      incoming("7100000000000005", {
        externalId: "aWdfZAG1fixture-product-0001",
        text: "Is this available in M?",
        payload: { referral: { product: { id: "7000000000000777" } } },
        sentAt: at("2026-11-03T09:25:00.000Z"),
      }),
    ]),
  batched: () => ({
    object: "instagram",
    rejected: [],
    entries: [
      {
        platform: "instagram",
        accountExternalId: IG,
        events: [
          incoming(IGSID3, { externalId: "aWdfZAG1fixture-batch-0001", text: "One", sentAt: at("2026-11-03T09:30:00.000Z") }),
          incoming(IGSID3, { externalId: "aWdfZAG1fixture-batch-0002", text: "Two", sentAt: at("2026-11-03T09:30:01.000Z") }),
          {
            kind: "status",
            contact: { externalId: IGSID1 },
            messageExternalId: "aWdfZAG1fixture-echo-native-0001",
            status: "read",
            at: at("2026-11-03T09:30:02.000Z"),
          },
        ],
        ignored: [],
        rejected: [],
      },
      {
        platform: "instagram",
        accountExternalId: "17841400000000002",
        events: [
          incoming("7100000000000009", {
            externalId: "aWdfZAG1fixture-batch-other-0001",
            text: "Hi other account",
            sentAt: at("2026-11-03T09:30:03.000Z"),
          }),
        ],
        ignored: [],
        rejected: [],
      },
    ],
  }),
  "comments-change": () =>
    oneAccount([], {
      ignored: [{ path: "entry[0].changes[0]", reason: 'Instagram "comments" notifications are not used by the inbox' }],
    }),
};

describe("parseWebhook for Instagram fixtures", () => {
  it("has a written expectation for every fixture file, and a fixture for every expectation", () => {
    expect(Object.keys(expectations).sort()).toEqual(listFixtures("instagram"));
  });

  for (const kind of listFixtures("instagram")) {
    it(`normalizes the ${kind} fixture exactly`, () => {
      const expected = expectations[kind];
      expect(expected, `no expectation for ${kind}`).toBeDefined();
      expect(parseWebhook("instagram", fixturePayload("instagram", kind))).toStrictEqual(expected?.());
    });
  }
});

describe("parseWebhook for Instagram edge cases", () => {
  it("treats an echo of a deleted business message as a deletion in the customer's conversation", () => {
    const result = parseWebhook("instagram", {
      object: "instagram",
      entry: [
        {
          id: IG,
          messaging: [
            {
              sender: { id: IG },
              recipient: { id: IGSID1 },
              timestamp: 1_793_700_000_000,
              message: { mid: "m_del", is_echo: true, is_deleted: true },
            },
          ],
        },
      ],
    });
    expect(result.entries[0]?.events).toEqual([
      { kind: "message_delete", contact: { externalId: IGSID1 }, messageExternalId: "m_del", at: new Date(1_793_700_000_000) },
    ]);
  });

  it("rejects a seen event that names neither a message nor a watermark", () => {
    const result = parseWebhook("instagram", {
      object: "instagram",
      entry: [{ id: IG, messaging: [{ sender: { id: IGSID1 }, recipient: { id: IG }, timestamp: 1_793_700_000_000, read: {} }] }],
    });
    expect(result.entries[0]?.rejected).toEqual([
      { path: "entry[0].messaging[0]", reason: "read carries neither a watermark nor a mid" },
    ]);
  });

  it("refuses a Page-object payload on the Instagram endpoint, since Meta sends Instagram messaging as object instagram", () => {
    const result = parseWebhook("instagram", fixturePayload("messenger", "text"));
    expect(result.entries).toEqual([]);
    expect(result.object).toBe("page");
    expect(result.rejected).toEqual([
      { path: "object", reason: 'object is "page"; the instagram endpoint only accepts "instagram"' },
    ]);
  });
});
