import { describe, expect, it } from "vitest";
import type { NormalizedContact, NormalizedEntry, NormalizedEvent, NormalizedMessage } from "@/lib/webhooks/events";
import { parseWebhook } from "@/lib/webhooks/parse/index";
import { fixturePayload, listFixtures } from "@/tests/fixtures/webhooks/load";

const PHONE_ID = "109100000000001";
const WABA = "102200000000001";
const INES: NormalizedContact = { externalId: "15550200001", name: "Inês Araújo" };
const at = (iso: string) => new Date(iso);

function onePhone(events: NormalizedEvent[], extra: Partial<NormalizedEntry> = {}) {
  return {
    object: "whatsapp_business_account",
    rejected: [],
    entries: [{ platform: "whatsapp", accountExternalId: PHONE_ID, events, ignored: [], rejected: [], ...extra }],
  };
}

function incoming(
  contact: NormalizedContact,
  message: Partial<NormalizedMessage> & Pick<NormalizedMessage, "externalId" | "sentAt">,
): NormalizedEvent {
  return {
    kind: "message",
    contact,
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

// Expected output of every fixture in tests/fixtures/webhooks/whatsapp, written out by hand from the payloads.
const expectations: Record<string, () => unknown> = {
  text: () =>
    onePhone([
      incoming(INES, {
        externalId: "wamid.WFX_TEXT_0001",
        text: "Olá! Vocês entregam em Lisboa? 🚚",
        sentAt: at("2026-11-04T10:00:00Z"),
      }),
    ]),
  "text-unicode": () =>
    onePhone([
      incoming(
        { externalId: "15550200002", name: "سارة כהן" },
        {
          externalId: "wamid.WFX_UNICODE_0001",
          text: "  Emoji 👍🏽 🧑\u200D🚀 𝄞 · عربي: مرحبا بك · עברית: שלום · <script>alert('x')</script><b>bold</b> &amp; · bell:\u0007 · tab:\t · end  ",
          sentAt: at("2026-11-04T10:05:00Z"),
        },
      ),
    ]),
  image: () =>
    onePhone([
      incoming(INES, {
        externalId: "wamid.WFX_IMAGE_0001",
        type: "image",
        text: "A minha encomenda chegou assim 😕",
        attachments: [
          {
            type: "image",
            url: null,
            mimeType: "image/jpeg",
            name: null,
            mediaId: "1800000000000001",
            sha256: "fixtureSha256ImageAAAAAAAAAAAAAAAAAAAAAAAAA=",
          },
        ],
        sentAt: at("2026-11-04T10:10:00Z"),
      }),
    ]),
  audio: () =>
    onePhone([
      incoming(INES, {
        externalId: "wamid.WFX_VOICE_0001",
        type: "audio",
        attachments: [
          {
            type: "audio",
            url: null,
            mimeType: "audio/ogg; codecs=opus",
            name: null,
            mediaId: "1800000000000002",
            sha256: "fixtureSha256VoiceAAAAAAAAAAAAAAAAAAAAAAAAA=",
            isVoice: true,
          },
        ],
        sentAt: at("2026-11-04T10:15:00Z"),
      }),
      incoming(INES, {
        externalId: "wamid.WFX_AUDIO_0001",
        type: "audio",
        attachments: [
          {
            type: "audio",
            url: null,
            mimeType: "audio/mpeg",
            name: null,
            mediaId: "1800000000000003",
            sha256: "fixtureSha256AudioAAAAAAAAAAAAAAAAAAAAAAAAA=",
            isVoice: false,
          },
        ],
        sentAt: at("2026-11-04T10:15:30Z"),
      }),
    ]),
  video: () =>
    onePhone([
      incoming(INES, {
        externalId: "wamid.WFX_VIDEO_0001",
        type: "video",
        text: "Vejam isto",
        attachments: [
          {
            type: "video",
            url: null,
            mimeType: "video/mp4",
            name: null,
            mediaId: "1800000000000004",
            sha256: "fixtureSha256VideoAAAAAAAAAAAAAAAAAAAAAAAAA=",
          },
        ],
        sentAt: at("2026-11-04T10:20:00Z"),
      }),
    ]),
  document: () =>
    onePhone([
      incoming(INES, {
        externalId: "wamid.WFX_DOCUMENT_0001",
        type: "file",
        text: "Fatura de novembro",
        attachments: [
          {
            type: "file",
            url: null,
            mimeType: "application/pdf",
            name: "Fatura-2026-11.pdf",
            mediaId: "1800000000000005",
            sha256: "fixtureSha256DocumentAAAAAAAAAAAAAAAAAAAAAA=",
          },
        ],
        sentAt: at("2026-11-04T10:25:00Z"),
      }),
    ]),
  sticker: () =>
    onePhone([
      incoming(INES, {
        externalId: "wamid.WFX_STICKER_0001",
        type: "sticker",
        attachments: [
          {
            type: "sticker",
            url: null,
            mimeType: "image/webp",
            name: null,
            mediaId: "1800000000000006",
            sha256: "fixtureSha256StickerAAAAAAAAAAAAAAAAAAAAAAA=",
          },
        ],
        sentAt: at("2026-11-04T10:30:00Z"),
      }),
    ]),
  location: () =>
    onePhone([
      incoming(INES, {
        externalId: "wamid.WFX_LOCATION_0001",
        type: "location",
        payload: {
          latitude: 38.7223,
          longitude: -9.1393,
          name: "Praça do Comércio",
          address: "Praça do Comércio, 1100-148 Lisboa",
        },
        sentAt: at("2026-11-04T10:35:00Z"),
      }),
    ]),
  contacts: () =>
    onePhone([
      incoming(INES, {
        externalId: "wamid.WFX_CONTACTS_0001",
        type: "contact",
        payload: {
          contacts: [
            {
              name: { formatted_name: "João Silva", first_name: "João", last_name: "Silva" },
              phones: [{ phone: "+1 555 020 0009", wa_id: "15550200009", type: "CELL" }],
              emails: [{ email: "joao.silva@example.com", type: "WORK" }],
              org: { company: "Silva & Filhos", title: "Gerente" },
            },
          ],
        },
        sentAt: at("2026-11-04T10:40:00Z"),
      }),
    ]),
  "interactive-button-reply": () =>
    onePhone([
      incoming(INES, {
        externalId: "wamid.WFX_BUTTONREPLY_0001",
        type: "interactive",
        text: "Confirmar ✅",
        payload: { kind: "button_reply", payload: "confirm-order-42" },
        replyToExternalId: "wamid.WFX_OUT_INTERACTIVE_0001",
        sentAt: at("2026-11-04T10:45:00Z"),
      }),
    ]),
  "interactive-list-reply": () =>
    onePhone([
      incoming(INES, {
        externalId: "wamid.WFX_LISTREPLY_0001",
        type: "interactive",
        text: "Qui 5, 19:00",
        payload: { kind: "list_reply", payload: "slot-2026-11-05-1900", description: "Mesa para 2" },
        replyToExternalId: "wamid.WFX_OUT_LIST_0001",
        sentAt: at("2026-11-04T10:50:00Z"),
      }),
    ]),
  button: () =>
    onePhone([
      incoming(INES, {
        externalId: "wamid.WFX_BUTTON_0001",
        type: "interactive",
        text: "Reagendar",
        payload: { kind: "button", payload: "RESCHEDULE_ORDER_42" },
        replyToExternalId: "wamid.WFX_OUT_TEMPLATE_0001",
        sentAt: at("2026-11-04T10:55:00Z"),
      }),
    ]),
  reaction: () =>
    onePhone([
      {
        kind: "reaction",
        contact: INES,
        messageExternalId: "wamid.WFX_OUT_TEMPLATE_0001",
        emoji: "🙏🏼",
        from: "customer",
        at: at("2026-11-04T11:00:00Z"),
      },
    ]),
  "reaction-removed": () =>
    onePhone([
      {
        kind: "reaction",
        contact: INES,
        messageExternalId: "wamid.WFX_OUT_TEMPLATE_0001",
        emoji: null,
        from: "customer",
        at: at("2026-11-04T11:05:00Z"),
      },
      {
        kind: "reaction",
        contact: INES,
        messageExternalId: "wamid.WFX_OUT_LIST_0001",
        emoji: null,
        from: "customer",
        at: at("2026-11-04T11:05:30Z"),
      },
    ]),
  unsupported: () =>
    onePhone([
      incoming(
        { externalId: "15550200003", name: "Bob Example" },
        {
          externalId: "wamid.WFX_UNSUPPORTED_0001",
          type: "unsupported",
          payload: {
            unsupportedType: "video_note",
            errors: [
              {
                code: 131051,
                title: "Message type unknown",
                message: "Message type unknown",
                details: "Message type is currently not supported.",
              },
            ],
          },
          sentAt: at("2026-11-04T11:10:00Z"),
        },
      ),
    ]),
  unknown: () =>
    onePhone([
      incoming(
        { externalId: "15550200003", name: "Bob Example" },
        {
          externalId: "wamid.WFX_UNKNOWN_0001",
          type: "unsupported",
          payload: {
            errors: [
              {
                code: 131051,
                title: "Unsupported message type",
                message: null,
                details: "Message type is not currently supported",
              },
            ],
          },
          sentAt: at("2026-11-04T11:15:00Z"),
        },
      ),
    ]),
  "reply-context": () =>
    onePhone([
      incoming(INES, {
        externalId: "wamid.WFX_REPLY_0001",
        text: "Sim, esse mesmo",
        replyToExternalId: "wamid.WFX_OUT_TEXT_0001",
        sentAt: at("2026-11-04T11:20:00Z"),
      }),
    ]),
  forwarded: () =>
    onePhone([
      incoming(INES, {
        externalId: "wamid.WFX_FORWARDED_0001",
        text: "Olha esta promoção",
        payload: { forwarded: true },
        sentAt: at("2026-11-04T11:25:00Z"),
      }),
      incoming(INES, {
        externalId: "wamid.WFX_FORWARDED_0002",
        type: "image",
        payload: { frequentlyForwarded: true },
        attachments: [
          {
            type: "image",
            url: null,
            mimeType: "image/jpeg",
            name: null,
            mediaId: "1800000000000007",
            sha256: "fixtureSha256ForwardAAAAAAAAAAAAAAAAAAAAAAA=",
          },
        ],
        sentAt: at("2026-11-04T11:25:30Z"),
      }),
    ]),
  referral: () =>
    onePhone([
      incoming(
        { externalId: "15550200004", name: "Carla Mendes" },
        {
          externalId: "wamid.WFX_REFERRAL_0001",
          text: "Quero saber mais sobre a promoção",
          payload: {
            referral: {
              source_url: "https://fb.me/fixture-ad",
              source_id: "120200000000002",
              source_type: "ad",
              headline: "Promoção de inverno",
              body: "Entrega grátis em Lisboa",
              media_type: "image",
              image_url: "https://scontent.xx.fbcdn.net/v/fixture-ctwa.jpg",
              ctwa_clid: "fixture-ctwa-clid-0001",
              welcome_message: { text: "Olá! Como podemos ajudar?" },
            },
          },
          sentAt: at("2026-11-04T11:30:00Z"),
        },
      ),
    ]),
  "bsuid-only": () =>
    onePhone([
      incoming(
        { externalId: "US.13491208655302741918", name: "Dana", username: "@dana.cooks" },
        { externalId: "wamid.WFX_BSUID_0001", text: "Hi, I found you through your username", sentAt: at("2026-11-04T11:35:00Z") },
      ),
      incoming(
        { externalId: "BR.1502576394655843", name: "Rafa", username: "@rafa" },
        { externalId: "wamid.WFX_BSUID_0002", text: "Oi!", sentAt: at("2026-11-04T11:35:30Z") },
      ),
    ]),
  statuses: () =>
    onePhone([
      {
        kind: "status",
        contact: INES,
        messageExternalId: "wamid.WFX_OUT_TEXT_0001",
        status: "sent",
        at: at("2026-11-04T11:40:00Z"),
      },
      {
        kind: "status",
        contact: INES,
        messageExternalId: "wamid.WFX_OUT_TEXT_0001",
        status: "delivered",
        at: at("2026-11-04T11:40:02Z"),
      },
      {
        kind: "status",
        contact: INES,
        messageExternalId: "wamid.WFX_OUT_TEXT_0001",
        status: "read",
        at: at("2026-11-04T11:41:00Z"),
      },
      // A played voice note has been heard: read.
      {
        kind: "status",
        contact: INES,
        messageExternalId: "wamid.WFX_OUT_VOICE_0001",
        status: "read",
        at: at("2026-11-04T11:42:00Z"),
      },
    ]),
  "status-failed": () =>
    onePhone([
      {
        kind: "status",
        contact: { externalId: "15550200005" },
        messageExternalId: "wamid.WFX_OUT_FAILED_0001",
        status: "failed",
        at: at("2026-11-04T11:45:00Z"),
        error: {
          code: "platform_rejected",
          message:
            "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
          platformCode: 131047,
        },
      },
    ]),
  "messages-and-statuses": () =>
    onePhone([
      incoming(
        { externalId: "15550200006", name: "Eva Lima" },
        { externalId: "wamid.WFX_MIXED_0001", text: "Recebido, obrigado!", sentAt: at("2026-11-04T11:50:05Z") },
      ),
      {
        kind: "status",
        contact: { externalId: "15550200006", name: "Eva Lima" },
        messageExternalId: "wamid.WFX_OUT_MIXED_0001",
        status: "delivered",
        at: at("2026-11-04T11:50:00Z"),
      },
      {
        kind: "status",
        contact: { externalId: "15550200006", name: "Eva Lima" },
        messageExternalId: "wamid.WFX_OUT_MIXED_0001",
        status: "read",
        at: at("2026-11-04T11:50:03Z"),
      },
    ]),
  "status-unknown-message": () =>
    onePhone([
      {
        kind: "status",
        contact: { externalId: "15550200007" },
        messageExternalId: "wamid.WFX_NEVER_SEEN_0001",
        status: "delivered",
        at: at("2026-11-04T11:55:00Z"),
      },
      {
        kind: "status",
        contact: { externalId: "US.13491208655302741918" },
        messageExternalId: "wamid.WFX_NEVER_SEEN_0002",
        status: "read",
        at: at("2026-11-04T11:55:30Z"),
      },
    ]),
  "account-update": () => ({
    object: "whatsapp_business_account",
    rejected: [],
    entries: [
      {
        platform: "whatsapp",
        accountExternalId: WABA,
        events: [],
        ignored: [{ path: "entry[0].changes[0]", reason: 'WhatsApp "account_update" notifications are not used by the inbox' }],
        rejected: [],
      },
    ],
  }),
  "template-status-update": () => ({
    object: "whatsapp_business_account",
    rejected: [],
    entries: [
      {
        platform: "whatsapp",
        accountExternalId: WABA,
        events: [],
        ignored: [
          {
            path: "entry[0].changes[0]",
            reason: 'WhatsApp "message_template_status_update" notifications are not used by the inbox',
          },
        ],
        rejected: [],
      },
    ],
  }),
  batched: () => ({
    object: "whatsapp_business_account",
    rejected: [],
    entries: [
      {
        platform: "whatsapp",
        accountExternalId: PHONE_ID,
        events: [
          incoming(
            { externalId: "15550200008", name: "Gil" },
            { externalId: "wamid.WFX_BATCH_0001", text: "Primeiro número", sentAt: at("2026-11-04T12:10:00Z") },
          ),
        ],
        ignored: [],
        rejected: [],
      },
      {
        platform: "whatsapp",
        accountExternalId: "109100000000002",
        events: [
          incoming(
            { externalId: "15550200008", name: "Gil" },
            { externalId: "wamid.WFX_BATCH_0002", text: "Segundo número", sentAt: at("2026-11-04T12:10:01Z") },
          ),
        ],
        ignored: [],
        rejected: [],
      },
    ],
  }),
  "smb-message-echo": () =>
    onePhone([
      incoming(
        // `to` is "+15550200001": reduced to the digits incoming messages use for the same customer.
        { externalId: "15550200001" },
        {
          externalId: "wamid.WFX_ECHO_0001",
          direction: "outgoing",
          text: "Olá Inês, já enviámos 📦",
          sentAt: at("2026-11-04T12:15:00Z"),
          isEcho: true,
        },
      ),
      incoming(
        { externalId: "15550200001" },
        {
          externalId: "wamid.WFX_ECHO_0002",
          direction: "outgoing",
          type: "image",
          text: "Talão",
          attachments: [
            {
              type: "image",
              url: null,
              mimeType: "image/jpeg",
              name: null,
              mediaId: "1800000000000008",
              sha256: "fixtureSha256EchoImageAAAAAAAAAAAAAAAAAAAAA=",
            },
          ],
          sentAt: at("2026-11-04T12:15:20Z"),
          isEcho: true,
        },
      ),
    ]),
  "request-welcome": () =>
    onePhone([
      {
        kind: "contact_activity",
        contact: { externalId: "15550200010", name: "Hugo" },
        at: at("2026-11-04T12:20:00Z"),
        payload: { kind: "request_welcome" },
      },
    ]),
  errors: () =>
    onePhone([], {
      ignored: [
        {
          path: "entry[0].changes[0].value.errors[0]",
          reason: "WhatsApp reported an error not tied to a message: 130429 Rate limit hit",
        },
      ],
    }),
};

describe("parseWebhook for WhatsApp fixtures", () => {
  it("has a written expectation for every fixture file, and a fixture for every expectation", () => {
    expect(Object.keys(expectations).sort()).toEqual(listFixtures("whatsapp"));
  });

  for (const kind of listFixtures("whatsapp")) {
    it(`normalizes the ${kind} fixture exactly`, () => {
      const expected = expectations[kind];
      expect(expected, `no expectation for ${kind}`).toBeDefined();
      expect(parseWebhook("whatsapp", fixturePayload("whatsapp", kind))).toStrictEqual(expected?.());
    });
  }
});

describe("parseWebhook for WhatsApp edge cases", () => {
  const change = (value: Record<string, unknown>, field = "messages") => ({
    object: "whatsapp_business_account",
    entry: [
      {
        id: WABA,
        changes: [{ field, value: { messaging_product: "whatsapp", metadata: { phone_number_id: PHONE_ID }, ...value } }],
      },
    ],
  });

  it("rejects a whole messages change without a phone_number_id, since nothing in it can be routed", () => {
    const result = parseWebhook("whatsapp", {
      object: "whatsapp_business_account",
      entry: [
        {
          id: WABA,
          changes: [
            {
              field: "messages",
              value: { messages: [{ id: "wamid.x", from: "1", timestamp: "1", type: "text", text: { body: "x" } }] },
            },
          ],
        },
      ],
    });
    expect(result.entries).toEqual([]);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]?.path).toBe("entry[0].changes[0]");
    expect(result.rejected[0]?.reason).toContain("entry[0].changes[0].value.metadata");
  });

  it("takes the sender name from the contact matching the sender, not from another contact of the batch", () => {
    const result = parseWebhook(
      "whatsapp",
      change({
        contacts: [
          { profile: { name: "First" }, wa_id: "15550200001" },
          { profile: { name: "Second" }, wa_id: "15550200002" },
        ],
        messages: [{ from: "15550200002", id: "wamid.y", timestamp: "1793800000", type: "text", text: { body: "hi" } }],
      }),
    );
    expect(result.entries[0]?.events[0]).toMatchObject({
      kind: "message",
      contact: { externalId: "15550200002", name: "Second" },
    });
  });

  it("accepts location coordinates sent as numeric strings", () => {
    const result = parseWebhook(
      "whatsapp",
      change({
        messages: [
          {
            from: "1555",
            id: "wamid.l",
            timestamp: "1793800000",
            type: "location",
            location: { latitude: "38.5", longitude: "-9.25" },
          },
        ],
      }),
    );
    expect(result.entries[0]?.events[0]).toMatchObject({
      kind: "message",
      message: { type: "location", payload: { latitude: 38.5, longitude: -9.25, name: null, address: null } },
    });
  });

  it("ignores statuses WhatsApp no longer documents instead of rejecting them", () => {
    const result = parseWebhook(
      "whatsapp",
      change({ statuses: [{ id: "wamid.z", status: "deleted", timestamp: "1793800000", recipient_id: "1555" }] }),
    );
    expect(result.entries[0]?.events).toEqual([]);
    expect(result.entries[0]?.ignored).toEqual([
      { path: "entry[0].changes[0].value.statuses[0]", reason: 'status "deleted" is not tracked by the inbox' },
    ]);
  });

  it("stores a message of a type added after this parser was written as unsupported, with its content", () => {
    const result = parseWebhook(
      "whatsapp",
      change({
        messages: [
          { from: "1555", id: "wamid.o", timestamp: "1793800000", type: "order", order: { catalog_id: "c1", product_items: [] } },
        ],
      }),
    );
    expect(result.entries[0]?.events[0]).toMatchObject({
      kind: "message",
      message: { type: "unsupported", payload: { originalType: "order", content: { catalog_id: "c1", product_items: [] } } },
    });
  });

  it("gives a failed status without errors a generic error rather than none", () => {
    const result = parseWebhook(
      "whatsapp",
      change({ statuses: [{ id: "wamid.f", status: "failed", timestamp: "1793800000", recipient_id: "1555", errors: [] }] }),
    );
    expect(result.entries[0]?.events[0]).toMatchObject({
      kind: "status",
      status: "failed",
      error: {
        code: "platform_rejected",
        message: "WhatsApp reported the message as failed without giving a reason",
        platformCode: null,
      },
    });
  });

  it("lists a field Meta added to a change value as ignored and still ingests the messages", () => {
    const result = parseWebhook(
      "whatsapp",
      change({
        messages: [{ from: "1555", id: "wamid.u", timestamp: "1793800000", type: "text", text: { body: "x" } }],
        "new list": [],
      }),
    );
    expect(result.entries[0]?.events).toHaveLength(1);
    expect(result.entries[0]?.ignored).toEqual([
      { path: 'entry[0].changes[0].value["new list"]', reason: "unknown field, not used by the inbox (kept in the raw event)" },
    ]);
  });

  it("reads the seconds timestamp as seconds, never as milliseconds", () => {
    const result = parseWebhook(
      "whatsapp",
      change({ messages: [{ from: "1555", id: "wamid.t", timestamp: "1793800000", type: "text", text: { body: "x" } }] }),
    );
    expect(result.entries[0]?.events[0]).toMatchObject({ message: { sentAt: new Date("2026-11-04T13:46:40.000Z") } });
  });
});
