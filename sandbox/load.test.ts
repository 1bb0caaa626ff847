import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFixture } from "./fixture";
import { LoadError, runLoad } from "./load";
import type { RunningSandbox } from "./server";
import { APP_SECRET, IG_SECRET, postJson, startReceiver, startTestSandbox, testFixture, type Receiver } from "./test-support";

let receiver: Receiver;
let sandbox: RunningSandbox;

beforeAll(async () => {
  receiver = await startReceiver();
  sandbox = await startTestSandbox(receiver, { fixture: testFixture() });
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

describe("runLoad", () => {
  it("emits N unique, signed events at the requested rate and reports acks, statuses and latency", async () => {
    receiver.requests.length = 0;
    receiver.respond = (_request, index) => (index % 10 === 9 ? 500 : 200);
    const report = await runLoad({
      webhookBaseUrl: receiver.url,
      appSecret: APP_SECRET,
      instagramAppSecret: IG_SECRET,
      fixture: loadFixture(testFixture()),
      platform: "mix",
      count: 60,
      ratePerSecond: 400,
      kinds: ["text", "image"],
      concurrency: 8,
    });
    receiver.respond = () => 200;
    expect(report).toMatchObject({ sent: 60, acked: 54, failed: 6, statusCounts: { "200": 54, "500": 6 }, stoppedBy: "count" });
    expect(report.latencyMs.p50).toBeGreaterThan(0);
    expect(report.latencyMs.p50).toBeLessThanOrEqual(report.latencyMs.p95);
    expect(report.latencyMs.p99).toBeLessThanOrEqual(report.latencyMs.max);
    expect(report.durationMs).toBeGreaterThanOrEqual(140);
    expect(receiver.requests).toHaveLength(60);
    const paths = new Set(receiver.requests.map((request) => request.path));
    expect(paths).toEqual(new Set(["/api/webhooks/messenger", "/api/webhooks/instagram", "/api/webhooks/whatsapp"]));
    for (const request of receiver.requests) {
      const secret = request.path.endsWith("instagram") ? IG_SECRET : APP_SECRET;
      expect(request.headers["x-hub-signature-256"]).toBe(
        `sha256=${createHmac("sha256", secret).update(request.raw).digest("hex")}`,
      );
    }
    const ids = receiver.requests.map(
      (request) => JSON.stringify(request.json).match(/"(?:mid|id)":"((?:m_|aWdf|wamid\.)[^"]+)"/)?.[1],
    );
    expect(new Set(ids).size).toBe(60);
  });

  it("stops by itself at the duration cap", async () => {
    const report = await runLoad({
      webhookBaseUrl: receiver.url,
      appSecret: APP_SECRET,
      fixture: loadFixture(testFixture()),
      platform: "messenger",
      count: 10_000,
      ratePerSecond: 50,
      maxDurationMs: 300,
    });
    expect(report.stoppedBy).toBe("duration");
    expect(report.sent).toBeLessThan(30);
  });

  it("refuses targets off this machine and counts or rates beyond the caps", async () => {
    const base = { appSecret: APP_SECRET, fixture: loadFixture(testFixture()), platform: "whatsapp" as const };
    await expect(runLoad({ ...base, webhookBaseUrl: "http://10.0.0.5:3000", count: 1, ratePerSecond: 1 })).rejects.toBeInstanceOf(
      LoadError,
    );
    await expect(runLoad({ ...base, webhookBaseUrl: receiver.url, count: 1_000_000, ratePerSecond: 1 })).rejects.toThrow();
    await expect(runLoad({ ...base, webhookBaseUrl: receiver.url, count: 1, ratePerSecond: 1_000_000 })).rejects.toThrow();
  });

  it("runs through POST /_sandbox/load against the configured app", async () => {
    receiver.requests.length = 0;
    const { status, body } = await postJson(`${sandbox.url}/_sandbox/load`, {
      platform: "whatsapp",
      count: 20,
      ratePerSecond: 200,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ sent: 20, acked: 20, failed: 0, statusCounts: { "200": 20 } });
    expect(receiver.requests.every((request) => request.path === "/api/webhooks/whatsapp")).toBe(true);
  });
});
