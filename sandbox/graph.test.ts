import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSandbox } from "./server";
import { connect, getJson, IG_ID, PAGE_ID, postJson, startReceiver, startTestSandbox, type Receiver } from "./test-support";

let receiver: Receiver;
let sandbox: RunningSandbox;
let userToken: string;
let pageToken: string;

beforeAll(async () => {
  receiver = await startReceiver();
  sandbox = await startTestSandbox(receiver);
  ({ userToken, pageToken } = await connect(sandbox));
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

describe("/me and /me/accounts", () => {
  it("returns id, name, email and picture.data.url as Auth.js's Facebook provider asks, with a Bearer header", async () => {
    const { status, body } = await getJson(`${sandbox.url}/me?fields=id,name,email,picture`, {
      headers: { authorization: `Bearer ${userToken}` },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: "10229000000000001", name: "Dana Whitfield", email: "dana@acme-coffee.example" });
    expect((body.picture as { data: { url: string } }).data.url).toMatch(/^http/);
  });

  it("answers the same under any version prefix", async () => {
    for (const prefix of ["/v25.0", "/v19.0", ""]) {
      const { body } = await getJson(`${sandbox.url}${prefix}/me?access_token=${userToken}`);
      expect(body).toEqual({ name: "Dana Whitfield", id: "10229000000000001" });
    }
  });

  it("lists Pages with access_token, category, tasks and the linked instagram_business_account when asked", async () => {
    const { body } = await getJson(
      `${sandbox.url}/v25.0/me/accounts?fields=id,name,access_token,category,tasks,instagram_business_account{id,username,name,profile_picture_url}&access_token=${userToken}`,
    );
    const [page] = body.data as Record<string, unknown>[];
    expect(page).toMatchObject({ id: PAGE_ID, name: "Acme Coffee", category: "Coffee Shop" });
    expect(page?.tasks).toContain("MESSAGING");
    expect(typeof page?.access_token).toBe("string");
    expect(page?.instagram_business_account).toMatchObject({ id: IG_ID, username: "acme.coffee", name: "Acme Coffee" });
    expect((body.paging as { cursors: { before: string; after: string } }).cursors.after).toBeTruthy();
  });

  it("gives the default fields of /me/accounts without instagram_business_account", async () => {
    const { body } = await getJson(`${sandbox.url}/v25.0/me/accounts?access_token=${userToken}`);
    const [page] = body.data as Record<string, unknown>[];
    expect(Object.keys(page ?? {}).sort()).toEqual(["access_token", "category", "category_list", "id", "name", "tasks"]);
  });
});

describe("Page and Instagram nodes", () => {
  it("reads /{page-id} and /{ig-id} with fields", async () => {
    const page = await getJson(
      `${sandbox.url}/v25.0/${PAGE_ID}?fields=name,instagram_business_account&access_token=${pageToken}`,
    );
    expect(page.body).toEqual({ name: "Acme Coffee", instagram_business_account: { id: IG_ID }, id: PAGE_ID });
    const ig = await getJson(`${sandbox.url}/v25.0/${IG_ID}?fields=username,name,followers_count&access_token=${pageToken}`);
    expect(ig.body).toMatchObject({ id: IG_ID, username: "acme.coffee", followers_count: 4821 });
  });

  it("reads a Messenger customer's profile with the Page token", async () => {
    const { body } = await getJson(
      `${sandbox.url}/v25.0/24016000000000101?fields=first_name,last_name,profile_pic&access_token=${pageToken}`,
    );
    expect(body).toMatchObject({ id: "24016000000000101", first_name: "Sofía", last_name: "Martínez" });
  });
});

describe("Conversations API", () => {
  it("pages Messenger conversations with cursors, an absolute next link and the limit", async () => {
    const first = await getJson(
      `${sandbox.url}/v25.0/${PAGE_ID}/conversations?platform=messenger&limit=4&access_token=${pageToken}`,
    );
    const data = first.body.data as { id: string; updated_time: string }[];
    expect(data).toHaveLength(4);
    expect(data[0]?.id).toMatch(/^t_/);
    expect(data[0]?.updated_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000$/);
    const times = data.map((conversation) => conversation.updated_time);
    expect([...times].sort().reverse()).toEqual(times);
    const paging = first.body.paging as { cursors: { before: string; after: string }; next: string };
    expect(paging.next.startsWith(`${sandbox.url}/v25.0/${PAGE_ID}/conversations?`)).toBe(true);
    const second = await getJson(paging.next);
    const more = second.body.data as { id: string }[];
    expect(more.length).toBeGreaterThan(0);
    expect(more.some((conversation) => data.some((seen) => seen.id === conversation.id))).toBe(false);
  });

  it("lists Instagram conversations with participants and nested messages", async () => {
    const { body } = await getJson(
      `${sandbox.url}/v25.0/${PAGE_ID}/conversations?platform=instagram&fields=participants,messages.limit(2){id,created_time,from,to,message}&limit=1&access_token=${pageToken}`,
    );
    const [conversation] = body.data as Record<string, unknown>[];
    const participants = (conversation?.participants as { data: { username: string; id: string }[] }).data;
    expect(participants.some((participant) => participant.id === IG_ID && participant.username === "acme.coffee")).toBe(true);
    const messages = conversation?.messages as { data: Record<string, unknown>[]; paging: { next?: string } };
    expect(messages.data).toHaveLength(2);
    expect(messages.data[0]).toMatchObject({
      from: { id: expect.any(String), username: expect.any(String) },
      message: expect.any(String),
    });
    expect(messages.paging.next).toContain("/messages?");
  });

  it("pages a conversation's messages newest first and reads one message's details", async () => {
    const list = await getJson(
      `${sandbox.url}/v25.0/${PAGE_ID}/conversations?platform=messenger&user_id=24016000000000101&access_token=${pageToken}`,
    );
    const conversationId = (list.body.data as { id: string }[])[0]?.id ?? "";
    const page1 = await getJson(
      `${sandbox.url}/v25.0/${conversationId}/messages?fields=id,created_time,message,from&limit=2&access_token=${pageToken}`,
    );
    const messages = page1.body.data as { id: string; created_time: string; from: { email: string } }[];
    expect(messages).toHaveLength(2);
    expect((messages[0]?.created_time ?? "") >= (messages[1]?.created_time ?? "")).toBe(true);
    expect(messages[0]?.from.email).toMatch(/@facebook\.com$/);
    const detail = await getJson(
      `${sandbox.url}/v25.0/${messages[0]?.id}?fields=id,created_time,from,to,message&access_token=${pageToken}`,
    );
    expect(detail.body).toMatchObject({
      id: messages[0]?.id,
      to: { data: [expect.objectContaining({ id: expect.any(String) })] },
    });
  });
});

describe("Graph errors", () => {
  it("answers a missing token with code 104 and a garbage token with OAuthException 190", async () => {
    const missing = await getJson(`${sandbox.url}/v25.0/me`);
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 104, type: "OAuthException" });
    const garbage = await getJson(`${sandbox.url}/v25.0/me?access_token=EAAnonsense`);
    expect(garbage.status).toBe(400);
    expect(garbage.body.error).toMatchObject({ code: 190, type: "OAuthException", fbtrace_id: expect.any(String) });
    expect(garbage.headers.get("www-authenticate")).toContain("invalid_token");
  });

  it("refuses a user token where a Page token is needed (210) and a Page token on /me/accounts (100)", async () => {
    const send = await postJson(`${sandbox.url}/v25.0/${PAGE_ID}/messages?access_token=${userToken}`, {
      recipient: { id: "24016000000000101" },
      message: { text: "hi" },
    });
    expect(send.body.error).toMatchObject({ code: 210 });
    const accounts = await getJson(`${sandbox.url}/v25.0/me/accounts?access_token=${pageToken}`);
    expect(accounts.body.error).toMatchObject({ code: 100, message: expect.stringContaining("nonexisting field (accounts)") });
  });

  it("answers unknown objects with GraphMethodException 100/33 and unknown fields with 100", async () => {
    const unknown = await getJson(`${sandbox.url}/v25.0/123456789012345?access_token=${pageToken}`);
    expect(unknown.body.error).toMatchObject({ type: "GraphMethodException", code: 100, error_subcode: 33 });
    const field = await getJson(`${sandbox.url}/v25.0/${PAGE_ID}?fields=nope&access_token=${pageToken}`);
    expect(field.body.error).toMatchObject({
      code: 100,
      message: "(#100) Tried accessing nonexisting field (nope) on node type (Page)",
    });
  });

  it("treats a revoked token as an invalidated session (190/460)", async () => {
    const { userToken: other } = await connect(sandbox);
    await postJson(`${sandbox.url}/_sandbox/tokens/revoke`, { token: other });
    const { body } = await getJson(`${sandbox.url}/v25.0/me?access_token=${other}`);
    expect(body.error).toMatchObject({ code: 190, error_subcode: 460 });
  });
});

describe("/{page-id}/subscribed_apps", () => {
  it("subscribes, lists and unsubscribes the app with subscribed_fields", async () => {
    const missing = await postJson(`${sandbox.url}/v25.0/${PAGE_ID}/subscribed_apps?access_token=${pageToken}`, {});
    expect(missing.body.error).toMatchObject({ code: 100 });
    const bad = await postJson(`${sandbox.url}/v25.0/${PAGE_ID}/subscribed_apps?access_token=${pageToken}`, {
      subscribed_fields: "messages,bogus",
    });
    expect(bad.body.error).toMatchObject({ code: 100 });
    const ok = await postJson(`${sandbox.url}/v25.0/${PAGE_ID}/subscribed_apps?access_token=${pageToken}`, {
      subscribed_fields: "messages,message_echoes,message_deliveries,message_reads,message_reactions,messaging_postbacks",
    });
    expect(ok.body).toEqual({ success: true });
    const list = await getJson(`${sandbox.url}/v25.0/${PAGE_ID}/subscribed_apps?access_token=${pageToken}`);
    expect((list.body.data as { subscribed_fields: string[] }[])[0]?.subscribed_fields).toContain("message_echoes");
    const gone = await getJson(`${sandbox.url}/v25.0/${PAGE_ID}/subscribed_apps?access_token=${pageToken}`, { method: "DELETE" });
    expect(gone.body).toEqual({ success: true });
    expect((await getJson(`${sandbox.url}/v25.0/${PAGE_ID}/subscribed_apps?access_token=${pageToken}`)).body.data).toEqual([]);
  });
});
