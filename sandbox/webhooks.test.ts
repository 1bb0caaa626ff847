import { createHmac, timingSafeEqual } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunningSandbox } from "./server";
import { CUSTOMER_ACTIONS, supportedActions } from "./simulate";
import {
  APP_SECRET,
  getJson,
  IG_SECRET,
  PAGE_ID,
  postJson,
  startReceiver,
  startTestSandbox,
  testFixture,
  type Receiver,
} from "./test-support";

let receiver: Receiver;
let sandbox: RunningSandbox;

beforeAll(async () => {
  receiver = await startReceiver();
  sandbox = await startTestSandbox(receiver, { fixture: testFixture() });
});
afterEach(async () => {
  await sandbox.idle();
  receiver.respond = () => 200;
  receiver.requests.length = 0;
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

const customerSends = (body: Record<string, unknown>) => postJson(`${sandbox.url}/_sandbox/customers/send`, body);

/** The app's check, written independently of the sandbox: HMAC-SHA256 over the raw bytes, constant time. */
function verify(raw: Buffer, header: string | string[] | undefined, secret: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`);
  const given = Buffer.from(String(header ?? ""));
  return expected.length === given.length && timingSafeEqual(expected, given);
}

describe("webhook bodies and signatures", () => {
  it("signs Meta's escaped serialization so an independent HMAC over the raw bytes verifies, and JSON.parse restores the text", async () => {
    const text = "Café crème for Zoë 😀 — see https://acme.example/menu";
    await customerSends({ platform: "messenger", customer: "24016000000000101", text });
    const [request] = await receiver.waitFor((requests) => requests.length === 1);
    const raw = request?.raw.toString("latin1") ?? "";
    expect(raw).toContain("Caf\\u00e9 cr\\u00e8me for Zo\\u00eb \\ud83d\\ude00 \\u2014 see https:\\/\\/acme.example\\/menu");
    expect(/^[\x00-\x7f]*$/.test(raw)).toBe(true);
    expect(verify(request?.raw ?? Buffer.alloc(0), request?.headers["x-hub-signature-256"], APP_SECRET)).toBe(true);
    expect(request?.headers["x-hub-signature"]).toBe(
      `sha1=${createHmac("sha1", APP_SECRET)
        .update(request?.raw ?? "")
        .digest("hex")}`,
    );
    expect(request?.headers["content-type"]).toBe("application/json");
    const entry = (
      request?.json.entry as { id: string; time: number; messaging: { message: { text: string; mid: string } }[] }[]
    )[0];
    expect(entry?.id).toBe(PAGE_ID);
    expect(entry?.messaging[0]?.message.text).toBe(text);
    expect(entry?.messaging[0]?.message.mid).toMatch(/^m_/);
  });

  it("signs Instagram webhooks with the Instagram app secret", async () => {
    await customerSends({ platform: "instagram", customer: "17849000000000201", text: "Salut 👋" });
    const [request] = await receiver.waitFor((requests) => requests.length === 1);
    expect(request?.path).toBe("/api/webhooks/instagram");
    expect(verify(request?.raw ?? Buffer.alloc(0), request?.headers["x-hub-signature-256"], IG_SECRET)).toBe(true);
    expect(verify(request?.raw ?? Buffer.alloc(0), request?.headers["x-hub-signature-256"], APP_SECRET)).toBe(false);
  });

  it("delivers WhatsApp messages with metadata.phone_number_id, contacts[].profile.name and wa_id", async () => {
    await customerSends({ platform: "whatsapp", customer: "15550100101", text: "नमस्ते" });
    const [request] = await receiver.waitFor((requests) => requests.length === 1);
    expect(request?.raw.toString()).toContain("\\u0928");
    expect(request?.json).toMatchObject({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "102200000000001",
          changes: [
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: { display_phone_number: "15550100001", phone_number_id: "109100000000001" },
                contacts: [{ profile: { name: "Priya Sharma" }, wa_id: "15550100101" }],
                messages: [
                  {
                    from: "15550100101",
                    id: expect.stringMatching(/^wamid\./),
                    timestamp: expect.stringMatching(/^\d+$/),
                    type: "text",
                    text: { body: "नमस्ते" },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
  });
});

describe("customer actions", () => {
  const customers = { messenger: "24016000000000101", instagram: "17849000000000201", whatsapp: "15550100101" } as const;

  it.each(["messenger", "instagram", "whatsapp"] as const)(
    "delivers every %s action as a signed webhook of that platform",
    async (platform) => {
      // A business message first, for the actions that answer one (button replies, reactions to replies).
      const token =
        platform === "whatsapp" ? sandbox.context.systemUserToken("102200000000001") : sandbox.context.pageToken(PAGE_ID);
      if (platform === "whatsapp")
        await postJson(
          `${sandbox.url}/v25.0/109100000000001/messages`,
          { messaging_product: "whatsapp", to: customers.whatsapp, type: "text", text: { body: "Pick one" } },
          { authorization: `Bearer ${token}` },
        );
      else
        await postJson(`${sandbox.url}/v25.0/me/messages?access_token=${token}`, {
          recipient: { id: customers[platform] },
          message: { text: "Pick one" },
        });
      await sandbox.idle();
      receiver.requests.length = 0;
      for (const kind of supportedActions(platform)) {
        const { status, body } = await customerSends({ platform, customer: customers[platform], kind });
        expect({ kind, status }).toEqual({ kind, status: 202 });
        expect(body.kind).toBe(kind);
      }
      await sandbox.idle();
      // "read" reports nothing new when the customer had already read everything (autoRead).
      expect(receiver.requests.length).toBeGreaterThanOrEqual(
        supportedActions(platform).filter((kind) => kind !== "read").length,
      );
      for (const request of receiver.requests) {
        expect(request.path).toBe(`/api/webhooks/${platform}`);
        expect(
          verify(request.raw, request.headers["x-hub-signature-256"], platform === "instagram" ? IG_SECRET : APP_SECRET),
        ).toBe(true);
      }
    },
  );

  it("refuses actions a platform does not have, with the list of those it has", async () => {
    const unsupported = CUSTOMER_ACTIONS.filter((kind) => !supportedActions("messenger").includes(kind));
    expect(unsupported).toContain("location");
    const { status, body } = await customerSends({ platform: "messenger", kind: "location" });
    expect(status).toBe(400);
    expect((body.error as { message: string }).message).toContain("supported:");
  });

  it("shapes reactions, replies, story replies, quick replies and edits as Meta's references do", async () => {
    const first = await customerSends({ platform: "messenger", customer: customers.messenger, text: "Original" });
    const mid = (first.body.message as { id: string }).id;
    await customerSends({ platform: "messenger", customer: customers.messenger, kind: "reaction", messageId: mid, emoji: "❤️" });
    await customerSends({ platform: "messenger", customer: customers.messenger, kind: "unreaction", messageId: mid });
    await customerSends({
      platform: "messenger",
      customer: customers.messenger,
      kind: "reply",
      messageId: mid,
      text: "Replying",
    });
    await customerSends({
      platform: "messenger",
      customer: customers.messenger,
      kind: "quick_reply",
      text: "Yes",
      payload: "YES",
    });
    await customerSends({ platform: "messenger", customer: customers.messenger, kind: "edit", messageId: mid, text: "Edited" });
    await customerSends({ platform: "instagram", customer: customers.instagram, kind: "story_reply", text: "So nice" });
    await customerSends({ platform: "instagram", customer: customers.instagram, kind: "delete" });
    await sandbox.idle();
    const events = receiver.requests
      .filter((request) => request.path !== "/api/webhooks/whatsapp")
      .flatMap((request) =>
        (request.json.entry as { messaging: Record<string, unknown>[] }[]).flatMap((entry) => entry.messaging),
      );
    const messenger = events.filter((event) => (event.recipient as { id: string }).id === PAGE_ID);
    expect(messenger[1]).toMatchObject({ reaction: { reaction: "love", emoji: "❤️", action: "react", mid } });
    expect(messenger[2]).toMatchObject({ reaction: { action: "unreact", mid } });
    expect(messenger[3]).toMatchObject({ message: { text: "Replying", reply_to: { mid } } });
    expect(messenger[4]).toMatchObject({ message: { text: "Yes", quick_reply: { payload: "YES" } } });
    // Messenger and Instagram are separate delivery queues, so only the per-platform order is fixed.
    expect(messenger[5]).toMatchObject({ message_edit: { mid, text: "Edited", num_edit: 1 } });
    const instagram = events.filter((event) => (event.recipient as { id: string }).id === "17841400000000001");
    expect(instagram[0]).toMatchObject({
      message: { text: "So nice", reply_to: { story: { url: expect.stringMatching(/^http/), id: expect.any(String) } } },
    });
    expect(instagram[1]).toMatchObject({ message: { is_deleted: true } });
  });

  it("sends a business message typed in Meta's own app as an echo without our app_id", async () => {
    await postJson(`${sandbox.url}/_sandbox/business/send`, {
      platform: "messenger",
      customer: customers.messenger,
      text: "From the Page inbox",
    });
    const [request] = await receiver.waitFor((requests) => requests.length === 1);
    const event = (request?.json.entry as { messaging: { message: Record<string, unknown> }[] }[])[0]?.messaging[0];
    expect(event?.message).toMatchObject({ is_echo: true, text: "From the Page inbox" });
    expect(event?.message).not.toHaveProperty("app_id");
  });
});

describe("delivery behaviour", () => {
  it("redelivers the same signed bytes after the app answers 500, until it answers 200", async () => {
    receiver.respond = (_request, index) => (index === 0 ? 500 : 200);
    await customerSends({ platform: "messenger", customer: "24016000000000101", text: "retry me" });
    const requests = await receiver.waitFor((all) => all.length === 2);
    expect(requests.map((request) => request.status)).toEqual([500, 200]);
    expect(requests[1]?.raw.equals(requests[0]?.raw ?? Buffer.alloc(0))).toBe(true);
    expect(requests[1]?.headers["x-hub-signature-256"]).toBe(requests[0]?.headers["x-hub-signature-256"]);
    const deliveries = await getJson(`${sandbox.url}/_sandbox/deliveries`);
    const last = (deliveries.body.deliveries as { state: string; attempts: { status: number }[] }[]).at(-1);
    expect(last?.state).toBe("delivered");
    expect(last?.attempts.map((attempt) => attempt.status)).toEqual([500, 200]);
  });

  it("gives up after the configured schedule", async () => {
    receiver.respond = () => 503;
    await customerSends({ platform: "messenger", customer: "24016000000000101", text: "never" });
    await sandbox.idle();
    expect(receiver.requests).toHaveLength(4);
    const deliveries = await getJson(`${sandbox.url}/_sandbox/deliveries`);
    expect((deliveries.body.deliveries as { state: string }[]).at(-1)?.state).toBe("gave_up");
  });

  it("duplicates the next delivery on request, byte for byte", async () => {
    await postJson(`${sandbox.url}/_sandbox/webhooks/duplicate`, { count: 1 });
    await customerSends({ platform: "messenger", customer: "24016000000000101", text: "twice" });
    const requests = await receiver.waitFor((all) => all.length === 2);
    expect(requests[0]?.raw.equals(requests[1]?.raw ?? Buffer.alloc(0))).toBe(true);
  });

  it("reorders the next deliveries on request", async () => {
    await postJson(`${sandbox.url}/_sandbox/webhooks/reorder`, { count: 3 });
    for (const text of ["one", "two", "three"])
      await customerSends({ platform: "messenger", customer: "24016000000000101", text });
    const requests = await receiver.waitFor((all) => all.length === 3);
    const texts = requests.map(
      (request) => (request.json.entry as { messaging: { message: { text: string } }[] }[])[0]?.messaging[0]?.message.text,
    );
    expect(texts).toEqual(["three", "two", "one"]);
  });

  it("redelivers a past delivery unchanged through the control API", async () => {
    await customerSends({ platform: "messenger", customer: "24016000000000101", text: "again" });
    await receiver.waitFor((all) => all.length === 1);
    const deliveries = await getJson(`${sandbox.url}/_sandbox/deliveries?platform=messenger`);
    const id = (deliveries.body.deliveries as { id: string }[]).at(-1)?.id;
    expect((await postJson(`${sandbox.url}/_sandbox/deliveries/${id}/redeliver`, {})).status).toBe(202);
    const requests = await receiver.waitFor((all) => all.length === 2);
    expect(requests[1]?.raw.equals(requests[0]?.raw ?? Buffer.alloc(0))).toBe(true);
  });
});

describe("batching", () => {
  it("puts events queued together into one POST with several entries, and can reverse them", async () => {
    const batched = await startTestSandbox(receiver, { fixture: testFixture(), batch: { maxItems: 5, windowMs: 30 } });
    try {
      await Promise.all(
        ["a", "b", "c"].map((text) =>
          postJson(`${batched.url}/_sandbox/customers/send`, { platform: "messenger", customer: "24016000000000101", text }),
        ),
      );
      const [request] = await receiver.waitFor((all) => all.length === 1);
      const entries = request?.json.entry as { messaging: { message: { text: string } }[] }[];
      expect(entries).toHaveLength(3);
      expect(entries.every((entry) => entry.messaging.length === 1)).toBe(true);
      receiver.requests.length = 0;
      await postJson(`${batched.url}/_sandbox/webhooks/reorder`, { batch: true });
      for (const text of ["x", "y"])
        await postJson(`${batched.url}/_sandbox/customers/send`, { platform: "messenger", customer: "24016000000000101", text });
      const [reversed] = await receiver.waitFor((all) => all.length === 1);
      const texts = (reversed?.json.entry as { messaging: { message: { text: string } }[] }[]).map(
        (entry) => entry.messaging[0]?.message.text,
      );
      expect(texts).toEqual(["y", "x"]);
      await batched.idle();
    } finally {
      await batched.close();
    }
  });

  it("sends nothing for unsubscribed accounts when subscriptions are required", async () => {
    const strict = await startTestSandbox(receiver, { fixture: testFixture(), requireSubscription: true });
    try {
      await postJson(`${strict.url}/_sandbox/customers/send`, {
        platform: "messenger",
        customer: "24016000000000101",
        text: "hello?",
      });
      await strict.idle();
      expect(receiver.requests).toHaveLength(0);
      await postJson(`${strict.url}/v25.0/${PAGE_ID}/subscribed_apps?access_token=${strict.context.pageToken(PAGE_ID)}`, {
        subscribed_fields: "messages",
      });
      await postJson(`${strict.url}/_sandbox/customers/send`, {
        platform: "messenger",
        customer: "24016000000000101",
        text: "now?",
      });
      await receiver.waitFor((all) => all.length === 1);
    } finally {
      await strict.close();
    }
  });
});
