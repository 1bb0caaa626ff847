import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, postJson, startReceiver, startTestSandbox, testFixture, type Receiver } from "./test-support";

let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
});

describe("the customer's phone page", () => {
  it("is served at / with labelled controls and talks only to the sandbox's own API", async () => {
    const sandbox = await startTestSandbox(receiver, { fixture: testFixture() });
    try {
      const response = await fetch(`${sandbox.url}/`);
      const html = await response.text();
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/html");
      expect(html).toContain('<label for="text" class="sr-only">Message</label>');
      expect(html).toContain('<label class="block" for="customer">Customer</label>');
      expect(html).toContain("/_sandbox/events");
      expect(html).toMatch(/aria-label="React with a heart"/);
      const state = await getJson(`${sandbox.url}/_sandbox/state`);
      expect((state.body.customers as unknown[]).length).toBe(6);
      expect((state.body.actions as Record<string, string[]>).whatsapp).toContain("location");
    } finally {
      await sandbox.close();
    }
  });

  it("streams a change event when a customer sends, so the page refreshes", async () => {
    const sandbox = await startTestSandbox(receiver, { fixture: testFixture() });
    try {
      const controller = new AbortController();
      const stream = await fetch(`${sandbox.url}/_sandbox/events`, { signal: controller.signal });
      const reader = stream.body?.getReader();
      await postJson(`${sandbox.url}/_sandbox/customers/send`, {
        platform: "instagram",
        customer: "17849000000000201",
        text: "hey",
      });
      let text = "";
      while (!text.includes("event: change")) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) break;
        text += new TextDecoder().decode(chunk.value);
      }
      expect(text).toContain('"customerId":"17849000000000201"');
      controller.abort();
      await sandbox.idle();
    } finally {
      await sandbox.close();
    }
  });
});

describe("persistence", () => {
  it("keeps conversations across a restart when a state file is given", async () => {
    const stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-state-")), "state.json");
    const first = await startTestSandbox(receiver, { fixture: testFixture(), stateFile });
    const sent = await postJson(`${first.url}/_sandbox/customers/send`, {
      platform: "whatsapp",
      customer: "15550100101",
      text: "remember me",
    });
    const id = (sent.body.message as { id: string }).id;
    await first.idle();
    await first.close();
    const second = await startTestSandbox(receiver, { fixture: testFixture(), stateFile });
    try {
      const threads = await getJson(`${second.url}/_sandbox/threads?platform=whatsapp&customer=15550100101`);
      const messages = (threads.body.threads as { messages: { id: string; text: string }[] }[])[0]?.messages ?? [];
      expect(messages.at(-1)).toMatchObject({ id, text: "remember me" });
    } finally {
      await second.close();
    }
  });
});
