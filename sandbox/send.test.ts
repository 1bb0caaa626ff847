import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunningSandbox } from "./server";
import {
  APP_ID,
  getJson,
  IG_ID,
  PAGE_ID,
  postJson,
  startReceiver,
  startTestSandbox,
  testFixture,
  type Receiver,
} from "./test-support";

let receiver: Receiver;
let sandbox: RunningSandbox;
let pageToken: string;

beforeAll(async () => {
  receiver = await startReceiver();
  sandbox = await startTestSandbox(receiver, { fixture: testFixture() });
  pageToken = sandbox.context.pageToken(PAGE_ID);
});
afterEach(async () => {
  await sandbox.idle();
  receiver.requests.length = 0;
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

type Messaging = Record<string, unknown> & { message?: Record<string, unknown> };
const messagingOf = (requests: Receiver["requests"]) =>
  requests.flatMap((request) => (request.json.entry as { messaging: Messaging[] }[]).flatMap((entry) => entry.messaging));

describe("Messenger Send API", () => {
  it("sends text to a customer inside the window and answers recipient_id and message_id", async () => {
    const { status, body } = await postJson(`${sandbox.url}/v25.0/${PAGE_ID}/messages?access_token=${pageToken}`, {
      recipient: { id: "24016000000000101" },
      messaging_type: "RESPONSE",
      message: { text: "¡Sí, hasta las 18h! ☕" },
    });
    expect(status).toBe(200);
    expect(body).toEqual({ recipient_id: "24016000000000101", message_id: expect.stringMatching(/^m_/) });
    const sent = await getJson(`${sandbox.url}/_sandbox/sent?platform=messenger`);
    expect((sent.body.sent as { messageId: string; status: number }[]).at(-1)).toMatchObject({
      messageId: body.message_id,
      status: 200,
    });
  });

  it("follows a send with an echo carrying our app_id, then delivery and read watermarks, in that order", async () => {
    const { body } = await postJson(`${sandbox.url}/me/messages?access_token=${pageToken}`, {
      recipient: { id: "24016000000000101" },
      message: { attachment: { type: "image", payload: { url: "https://cdn.example/menu.png", is_reusable: true } } },
    });
    await receiver.waitFor((requests) => messagingOf(requests).some((item) => "read" in item));
    const events = messagingOf(receiver.requests);
    const kinds = events.map((item) =>
      item.message?.is_echo ? "echo" : "delivery" in item ? "delivery" : "read" in item ? "read" : "other",
    );
    expect(kinds).toEqual(["echo", "delivery", "read"]);
    expect(events[0]).toMatchObject({
      sender: { id: PAGE_ID },
      recipient: { id: "24016000000000101" },
      message: { mid: body.message_id, is_echo: true, app_id: Number(APP_ID) },
    });
    expect((events[0]?.message?.attachments as { type: string }[])[0]?.type).toBe("image");
    expect(events[1]).toMatchObject({
      sender: { id: "24016000000000101" },
      delivery: { mids: [body.message_id], watermark: expect.any(Number) },
    });
    expect(
      receiver.requests.every((request) => request.path === "/api/webhooks/messenger" && request.json.object === "page"),
    ).toBe(true);
  });

  it("refuses a free-form message outside the 24-hour window with 10/2018278", async () => {
    const { status, body } = await postJson(`${sandbox.url}/v25.0/${PAGE_ID}/messages?access_token=${pageToken}`, {
      recipient: { id: "24016000000000102" },
      message: { text: "Sorry for the delay" },
    });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 10, error_subcode: 2018278, type: "OAuthException" });
    const sent = await getJson(`${sandbox.url}/_sandbox/sent?platform=messenger`);
    expect((sent.body.sent as { status: number }[]).at(-1)?.status).toBe(400);
  });

  it("lets a HUMAN_AGENT tag reply within 7 days", async () => {
    const { status } = await postJson(`${sandbox.url}/v25.0/${PAGE_ID}/messages?access_token=${pageToken}`, {
      recipient: { id: "24016000000000102" },
      messaging_type: "MESSAGE_TAG",
      tag: "HUMAN_AGENT",
      message: { text: "Sorry for the delay" },
    });
    expect(status).toBe(200);
  });

  it("opens the window again when the customer writes", async () => {
    await postJson(`${sandbox.url}/_sandbox/customers/send`, {
      platform: "messenger",
      customer: "24016000000000102",
      text: "Hallo?",
    });
    const { status } = await postJson(`${sandbox.url}/v25.0/${PAGE_ID}/messages?access_token=${pageToken}`, {
      recipient: { id: "24016000000000102" },
      message: { text: "Ja!" },
    });
    expect(status).toBe(200);
  });

  it("accepts sender_action mark_seen and answers recipient_id only", async () => {
    const { status, body } = await postJson(`${sandbox.url}/v25.0/${PAGE_ID}/messages?access_token=${pageToken}`, {
      recipient: { id: "24016000000000101" },
      sender_action: "mark_seen",
    });
    expect(status).toBe(200);
    expect(body).toEqual({ recipient_id: "24016000000000101" });
    const threads = await getJson(`${sandbox.url}/_sandbox/threads?platform=messenger&customer=24016000000000101`);
    const messages = (threads.body.threads as { messages: { from: string; seenByBusiness: boolean }[] }[])[0]?.messages ?? [];
    expect(messages.filter((message) => message.from === "customer").every((message) => message.seenByBusiness)).toBe(true);
  });

  it("answers an unknown recipient with 100/2018001 and form-encoded bodies like JSON ones", async () => {
    const unknown = await postJson(`${sandbox.url}/v25.0/${PAGE_ID}/messages?access_token=${pageToken}`, {
      recipient: { id: "999999999" },
      message: { text: "hi" },
    });
    expect(unknown.body.error).toMatchObject({ code: 100, error_subcode: 2018001 });
    const form = await getJson(`${sandbox.url}/v25.0/${PAGE_ID}/messages`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        access_token: pageToken,
        recipient: JSON.stringify({ id: "24016000000000101" }),
        message: JSON.stringify({ text: "form" }),
      }).toString(),
    });
    expect(form.status).toBe(200);
  });
});

describe("Instagram messaging", () => {
  it("sends through /me/messages with the Page token, then echoes and reports seen with read.mid", async () => {
    const { status, body } = await postJson(`${sandbox.url}/v25.0/me/messages?access_token=${pageToken}`, {
      recipient: { id: "17849000000000201" },
      message: { text: "Merci ! 🥐" },
    });
    expect(status).toBe(200);
    expect(body.recipient_id).toBe("17849000000000201");
    await receiver.waitFor((requests) => messagingOf(requests).some((item) => "read" in item));
    const events = messagingOf(receiver.requests);
    expect(
      receiver.requests.every((request) => request.path === "/api/webhooks/instagram" && request.json.object === "instagram"),
    ).toBe(true);
    expect(events[0]).toMatchObject({
      sender: { id: IG_ID },
      recipient: { id: "17849000000000201" },
      message: { mid: body.message_id, is_echo: true, text: "Merci ! 🥐" },
    });
    expect(events[1]).toMatchObject({ sender: { id: "17849000000000201" }, read: { mid: body.message_id } });
  });

  it("also sends through /{ig-id}/messages", async () => {
    const { status } = await postJson(`${sandbox.url}/v25.0/${IG_ID}/messages?access_token=${pageToken}`, {
      recipient: { id: "17849000000000201" },
      message: { text: "Hi" },
    });
    expect(status).toBe(200);
  });

  it("refuses a message outside the window with Instagram's 10/2534022", async () => {
    const { body } = await postJson(`${sandbox.url}/v25.0/${PAGE_ID}/messages?access_token=${pageToken}`, {
      recipient: { id: "17849000000000202" },
      message: { text: "Hola" },
    });
    expect(body.error).toMatchObject({ code: 10, error_subcode: 2534022 });
  });
});
