import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { routeMatches } from "./failures";
import type { RunningSandbox } from "./server";
import {
  getJson,
  PAGE_ID,
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
let pageToken: string;
let waToken: string;

beforeAll(async () => {
  receiver = await startReceiver();
  sandbox = await startTestSandbox(receiver, { fixture: testFixture() });
  pageToken = sandbox.context.pageToken(PAGE_ID);
  waToken = sandbox.context.systemUserToken(WABA_ID);
});
afterEach(async () => {
  await getJson(`${sandbox.url}/_sandbox/failures`, { method: "DELETE" });
  await sandbox.idle();
  receiver.requests.length = 0;
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

const inject = (rule: Record<string, unknown>) => postJson(`${sandbox.url}/_sandbox/failures`, rule);
const readPage = () => getJson(`${sandbox.url}/v25.0/${PAGE_ID}?access_token=${pageToken}`);
const sendMessenger = () =>
  postJson(`${sandbox.url}/v25.0/${PAGE_ID}/messages?access_token=${pageToken}`, {
    recipient: { id: "24016000000000101" },
    message: { text: "hi" },
  });
const sendWhatsApp = (to = "15550100101") =>
  postJson(
    `${sandbox.url}/v25.0/${PHONE_ID}/messages`,
    { messaging_product: "whatsapp", to, type: "text", text: { body: "hi" } },
    { authorization: `Bearer ${waToken}` },
  );

describe("failure injection", () => {
  it("fails exactly the next N calls with an expired token (190/463), then recovers", async () => {
    const { status, body } = await inject({ kind: "expired_token", count: 2 });
    expect(status).toBe(201);
    expect(body.failure).toMatchObject({ kind: "expired_token", remaining: 2 });
    for (let i = 0; i < 2; i++) {
      const failed = await readPage();
      expect(failed.status).toBe(400);
      expect(failed.body.error).toMatchObject({
        code: 190,
        error_subcode: 463,
        type: "OAuthException",
        message: expect.stringContaining("Session has expired"),
      });
    }
    expect((await readPage()).status).toBe(200);
    expect((await getJson(`${sandbox.url}/_sandbox/failures`)).body.failures).toEqual([]);
  });

  it.each([
    ["rate_limit_app", 4, "x-app-usage"],
    ["rate_limit_user", 17, "x-app-usage"],
    ["rate_limit_page", 32, "x-business-use-case-usage"],
    ["rate_limit_api", 613, "x-business-use-case-usage"],
  ])("answers %s with code %i and the %s header", async (kind, code, header) => {
    await inject({ kind });
    const { body, headers } = await readPage();
    expect(body.error).toMatchObject({ code, is_transient: true });
    const usage = JSON.parse(headers.get(header) ?? "null") as Record<string, unknown>;
    expect(usage).toBeTruthy();
    if (header === "x-business-use-case-usage")
      expect(usage[PAGE_ID]).toEqual([
        expect.objectContaining({ call_count: 100, estimated_time_to_regain_access: expect.any(Number) }),
      ]);
    else expect(usage).toMatchObject({ call_count: 100 });
  });

  it("answers server_error with the chosen 5xx and a transient code 2", async () => {
    await inject({ kind: "server_error", status: 503 });
    const { status, body } = await readPage();
    expect(status).toBe(503);
    expect(body.error).toMatchObject({ code: 2, is_transient: true });
  });

  it("limits a rule to one route pattern and one account", async () => {
    await inject({ kind: "invalid_token", route: "POST /*/messages", account: PAGE_ID });
    expect((await readPage()).status).toBe(200);
    expect((await sendWhatsApp()).status).toBe(200);
    const failed = await sendMessenger();
    expect(failed.body.error).toMatchObject({ code: 190 });
    expect((await sendMessenger()).status).toBe(200);
  });

  it("makes a Messenger send fail outside the window (10/2018278) on request", async () => {
    await inject({ kind: "outside_window" });
    expect((await readPage()).status).toBe(200);
    expect((await sendMessenger()).body.error).toMatchObject({ code: 10, error_subcode: 2018278 });
    expect((await sendMessenger()).status).toBe(200);
  });

  it("throttles WhatsApp sends synchronously with 130429", async () => {
    await inject({ kind: "whatsapp_throughput" });
    const { status, body } = await sendWhatsApp();
    expect(status).toBe(400);
    expect(body.error).toMatchObject({
      code: 130429,
      message: "(#130429) Rate limit hit",
      error_data: { messaging_product: "whatsapp", details: expect.any(String) },
    });
  });

  it("uses HTTP 401 for token errors and 429 for code 4 on WhatsApp routes", async () => {
    await inject({ kind: "expired_token" });
    expect((await sendWhatsApp()).status).toBe(401);
    await inject({ kind: "rate_limit_app" });
    expect((await sendWhatsApp()).status).toBe(429);
  });

  it.each([
    ["whatsapp_reengagement", 131047],
    ["whatsapp_undeliverable", 131026],
  ])("makes %s accept the send and fail it by status webhook with %i", async (kind, code) => {
    await inject({ kind });
    const { status } = await sendWhatsApp();
    expect(status).toBe(200);
    await receiver.waitFor((requests) => requests.length > 0);
    await sandbox.idle();
    const statuses = receiver.requests.flatMap((request) =>
      (
        request.json.entry as { changes: { value: { statuses?: { status: string; errors?: { code: number }[] }[] } }[] }[]
      ).flatMap((entry) => entry.changes.flatMap((change) => change.value.statuses ?? [])),
    );
    expect(statuses).toHaveLength(1);
    expect(statuses[0]).toMatchObject({ status: "failed", errors: [{ code }] });
  });

  it("rejects an unknown kind with the list of issues", async () => {
    const { status, body } = await inject({ kind: "meteor_strike" });
    expect(status).toBe(400);
    expect((body.error as { issues: string[] }).issues[0]).toContain("kind");
  });
});

describe("routeMatches", () => {
  it("matches methods, segments and wildcards, ignoring a version prefix in the pattern", () => {
    expect(routeMatches("POST /*/messages", "POST", "/106100000000001/messages")).toBe(true);
    expect(routeMatches("POST /*/messages", "GET", "/106100000000001/messages")).toBe(false);
    expect(routeMatches("/v25.0/me/**", "GET", "/me/accounts")).toBe(true);
    expect(routeMatches("/me", "GET", "/me/accounts")).toBe(false);
  });
});
