import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunningSandbox } from "./server";
import {
  getJson,
  PHONE_ID,
  postJson,
  startReceiver,
  startTestSandbox,
  testFixture,
  WABA_ID,
  type Receiver,
} from "./test-support";

let receiver: Receiver;
let sandbox: RunningSandbox;
let token: string;

beforeAll(async () => {
  receiver = await startReceiver();
  sandbox = await startTestSandbox(receiver, { fixture: testFixture() });
  token = sandbox.context.systemUserToken(WABA_ID);
});
afterEach(async () => {
  await sandbox.idle();
  receiver.requests.length = 0;
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

type Value = Record<string, unknown> & { statuses?: Record<string, unknown>[]; messages?: Record<string, unknown>[] };
const valuesOf = (requests: Receiver["requests"]) =>
  requests.flatMap((request) =>
    (request.json.entry as { id: string; changes: { value: Value; field: string }[] }[]).flatMap((entry) =>
      entry.changes.map((change) => ({ ...change, waba: entry.id })),
    ),
  );
const statusesOf = (requests: Receiver["requests"]) => valuesOf(requests).flatMap((change) => change.value.statuses ?? []);
const send = (body: Record<string, unknown>) =>
  postJson(
    `${sandbox.url}/v25.0/${PHONE_ID}/messages`,
    { messaging_product: "whatsapp", ...body },
    { authorization: `Bearer ${token}` },
  );

describe("WhatsApp phone number", () => {
  it("reads display_phone_number, verified_name and quality_rating", async () => {
    const { body } = await getJson(`${sandbox.url}/v25.0/${PHONE_ID}`, { headers: { authorization: `Bearer ${token}` } });
    expect(body).toMatchObject({
      id: PHONE_ID,
      display_phone_number: "+1 555-010-0001",
      verified_name: "Acme Coffee",
      quality_rating: "GREEN",
      platform_type: "CLOUD_API",
    });
  });

  it("answers a bad token with 190 and HTTP 401", async () => {
    const { status, body } = await getJson(`${sandbox.url}/v25.0/${PHONE_ID}`, { headers: { authorization: "Bearer EAAbogus" } });
    expect(status).toBe(401);
    expect(body.error).toMatchObject({ code: 190, type: "OAuthException" });
  });
});

describe("POST /{phone-number-id}/messages", () => {
  it("sends text and answers messaging_product, contacts[{input, wa_id}] and messages[{id}]", async () => {
    const { status, body } = await send({ to: "+1 555 010 0101", type: "text", text: { body: "Your order is ready ☕" } });
    expect(status).toBe(200);
    expect(body).toEqual({
      messaging_product: "whatsapp",
      contacts: [{ input: "+1 555 010 0101", wa_id: "15550100101" }],
      messages: [{ id: expect.stringMatching(/^wamid\./) }],
    });
  });

  it("follows a send with sent → delivered → read status webhooks carrying conversation and pricing", async () => {
    const { body } = await send({ to: "15550100101", type: "text", text: { body: "On its way" } });
    const wamid = (body.messages as { id: string }[])[0]?.id;
    await receiver.waitFor((requests) => statusesOf(requests).some((status) => status.status === "read"));
    const statuses = statusesOf(receiver.requests).filter((status) => status.id === wamid);
    expect(statuses.map((status) => status.status)).toEqual(["sent", "delivered", "read"]);
    expect(statuses[0]).toMatchObject({
      recipient_id: "15550100101",
      timestamp: expect.stringMatching(/^\d+$/),
      conversation: { id: expect.any(String), expiration_timestamp: expect.any(String), origin: { type: "service" } },
      pricing: { billable: false, pricing_model: "CBP", category: "service" },
    });
    const change = valuesOf(receiver.requests)[0];
    expect(change).toMatchObject({
      field: "messages",
      waba: WABA_ID,
      value: { messaging_product: "whatsapp", metadata: { display_phone_number: "15550100001", phone_number_id: PHONE_ID } },
    });
    expect(receiver.requests[0]?.json.object).toBe("whatsapp_business_account");
  });

  it("sends a template outside the window, renders its parameters and answers message_status accepted", async () => {
    const { status, body } = await send({
      to: "34600100102",
      type: "template",
      template: {
        name: "order_ready",
        language: { code: "en_US" },
        components: [
          {
            type: "body",
            parameters: [
              { type: "text", text: "Carmen" },
              { type: "text", text: "#42" },
            ],
          },
        ],
      },
    });
    expect(status).toBe(200);
    expect((body.messages as { message_status: string }[])[0]?.message_status).toBe("accepted");
    const threads = await getJson(`${sandbox.url}/_sandbox/threads?platform=whatsapp&customer=34600100102`);
    const messages = (threads.body.threads as { messages: { text: string }[] }[])[0]?.messages ?? [];
    expect(messages.at(-1)?.text).toBe("Hi Carmen, your order #42 is ready ☕");
    await receiver.waitFor((requests) => statusesOf(requests).some((item) => item.status === "sent"));
    expect(statusesOf(receiver.requests)[0]).toMatchObject({
      conversation: { origin: { type: "utility" } },
      pricing: { billable: true, category: "utility" },
    });
  });

  it("refuses an unknown template synchronously with 132001", async () => {
    const { status, body } = await send({
      to: "34600100102",
      type: "template",
      template: { name: "nope", language: { code: "en_US" } },
    });
    expect(status).toBe(404);
    expect(body.error).toMatchObject({ code: 132001, error_data: { messaging_product: "whatsapp" } });
  });

  it("accepts a free-form message outside the customer service window, then fails it with 131047 by webhook", async () => {
    const { status, body } = await send({ to: "34600100102", type: "text", text: { body: "Hola Carmen" } });
    expect(status).toBe(200);
    const wamid = (body.messages as { id: string }[])[0]?.id;
    await receiver.waitFor((requests) => statusesOf(requests).some((item) => item.status === "failed"));
    expect(statusesOf(receiver.requests)).toEqual([
      {
        id: wamid,
        status: "failed",
        timestamp: expect.any(String),
        recipient_id: "34600100102",
        errors: [
          {
            code: 131047,
            title: "Re-engagement message",
            message: "Re-engagement message",
            error_data: { details: expect.stringContaining("24 hours") },
            href: expect.stringContaining("error-codes"),
          },
        ],
      },
    ]);
  });

  it("fails a message to a number that is not a customer with 131026 by webhook", async () => {
    await send({ to: "4400000000", type: "text", text: { body: "hello?" } });
    await receiver.waitFor((requests) => statusesOf(requests).some((item) => item.status === "failed"));
    expect((statusesOf(receiver.requests)[0]?.errors as { code: number }[])[0]?.code).toBe(131026);
  });

  it("marks a customer message read with {status: read, message_id} and answers success", async () => {
    const threads = await getJson(`${sandbox.url}/_sandbox/threads?platform=whatsapp&customer=15550100101`);
    const incoming = ((threads.body.threads as { messages: { id: string; from: string }[] }[])[0]?.messages ?? []).filter(
      (message) => message.from === "customer",
    );
    const last = incoming.at(-1)?.id;
    const { status, body } = await send({ status: "read", message_id: last });
    expect(status).toBe(200);
    expect(body).toEqual({ success: true });
    const bad = await send({ status: "read", message_id: "wamid.nope" });
    expect(bad.body.error).toMatchObject({ code: 100 });
  });

  it("sends media by link and reacts to a message", async () => {
    const media = await send({
      to: "15550100101",
      type: "image",
      image: { link: "https://cdn.example/cup.png", caption: "Fresh" },
    });
    expect(media.status).toBe(200);
    const target = (media.body.messages as { id: string }[])[0]?.id;
    const reaction = await send({ to: "15550100101", type: "reaction", reaction: { message_id: target, emoji: "👍" } });
    expect(reaction.status).toBe(200);
    expect(reaction.body.messages).toEqual([{ id: expect.stringMatching(/^wamid\./) }]);
    const missing = await send({ to: "15550100101", type: "image", image: {} });
    expect(missing.body.error).toMatchObject({ code: 100 });
  });
});

describe("WhatsApp media", () => {
  it("gives a customer photo's media id, its metadata and an authenticated download", async () => {
    await postJson(`${sandbox.url}/_sandbox/customers/send`, {
      platform: "whatsapp",
      customer: "15550100101",
      kind: "image",
      text: "Is this yours?",
    });
    await receiver.waitFor((requests) => valuesOf(requests).some((change) => change.value.messages));
    const message = valuesOf(receiver.requests)[0]?.value.messages?.[0] as {
      type: string;
      image: { id: string; mime_type: string; sha256: string; caption: string };
    };
    expect(message.type).toBe("image");
    expect(message.image).toMatchObject({ mime_type: "image/png", caption: "Is this yours?" });
    const meta = await getJson(`${sandbox.url}/v25.0/${message.image.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(meta.body).toMatchObject({
      id: message.image.id,
      messaging_product: "whatsapp",
      mime_type: "image/png",
      sha256: message.image.sha256,
      file_size: expect.any(Number),
      url: expect.any(String),
    });
    const url = String(meta.body.url);
    const download = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("image/png");
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(bytes.length).toBe(meta.body.file_size);
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: "Bearer EAAbogus" } })).status).toBe(401);
    expect((await fetch(url.replace(/mid=\d+/, "mid=1"), { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
  });
});

describe("WhatsApp history", () => {
  it("replays a number's history as webhooks in timestamp order when the app subscribes the WABA", async () => {
    const { body } = await postJson(`${sandbox.url}/v25.0/${WABA_ID}/subscribed_apps`, {}, { authorization: `Bearer ${token}` });
    expect(body).toEqual({ success: true });
    await sandbox.idle();
    const changes = valuesOf(receiver.requests);
    const incoming = changes.flatMap((change) => change.value.messages ?? []);
    const echoes = changes
      .filter((change) => change.field === "smb_message_echoes")
      .flatMap((change) => (change.value.message_echoes as Record<string, unknown>[]) ?? []);
    expect(
      incoming.filter((message) => message.type === "text").map((message) => (message.text as { body: string }).body),
    ).toEqual(expect.arrayContaining(["Namaste!", "Is my order ready?", "Hola"]));
    expect(echoes[0]).toMatchObject({ from: "15550100001", to: "15550100101", type: "text", text: { body: "Namaste Priya ☕" } });
    const priya = incoming.filter((message) => message.from === "15550100101").map((message) => Number(message.timestamp));
    expect([...priya].sort((a, b) => a - b)).toEqual(priya);
    const contacts = changes.flatMap((change) => (change.value.contacts as { profile: { name: string }; wa_id: string }[]) ?? []);
    expect(contacts).toContainEqual({ profile: { name: "Priya Sharma" }, wa_id: "15550100101" });
    const list = await getJson(`${sandbox.url}/v25.0/${WABA_ID}/subscribed_apps`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect((list.body.data as unknown[]).length).toBe(1);
  });
});
