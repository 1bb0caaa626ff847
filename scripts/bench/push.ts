import { io, type Socket } from "socket.io-client";
import type { LoadReport } from "@/sandbox/load";
import type { BenchConfig } from "./config";
import { api } from "./session";
import { summarize, type Summary } from "./stats";

// Scenario 2: webhook POST → `new_message` at a socket. `sockets` Socket.IO clients of the bench
// user (each with its own token from GET /api/realtime/token, authenticated in the handshake as
// API.md describes) listen while the sandbox's load generator posts Messenger webhooks at `rate`.
// Latency per delivery = arrival at the socket − the webhook's own timestamp (Messenger's are in
// milliseconds, taken by the generator just before it signs and posts). Generator and sockets run
// in different processes on the same machine, so both read the same system clock.

export interface PushResult {
  sockets: number;
  rate: number;
  events: number;
  acked: number;
  expectedDeliveries: number;
  deliveries: number;
  latencyMs: Summary;
  ackMs: LoadReport["latencyMs"];
}

interface WireMessage {
  message?: { text?: string | null; sentAt?: string };
}

const PREFIX = "Load test message #";

async function openSockets(realtimeUrl: string, tokens: string[]): Promise<Socket[]> {
  const sockets = tokens.map((token) =>
    io(realtimeUrl, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true, timeout: 20_000 }),
  );
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error("a socket was not authenticated within 30 s")), 30_000);
          socket.once("authenticated", () => {
            clearTimeout(timer);
            resolve();
          });
          socket.once("connect_error", (error) => {
            clearTimeout(timer);
            reject(error);
          });
        }),
    ),
  );
  return sockets;
}

async function fetchTokens(appUrl: string, accessToken: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  while (tokens.length < count) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, count - tokens.length) }, () =>
        api<{ token: string }>(appUrl, "/api/realtime/token", { token: accessToken }),
      ),
    );
    tokens.push(...batch.map((grant) => grant.token));
  }
  return tokens;
}

export async function benchPush(options: {
  appUrl: string;
  realtimeUrl: string;
  sandboxUrl: string;
  accessToken: string;
  config: BenchConfig;
}): Promise<PushResult> {
  const { sockets: count, rate, seconds } = options.config.push;
  const tokens = await fetchTokens(options.appUrl, options.accessToken, count);
  const sockets = await openSockets(options.realtimeUrl, tokens);
  const latencies: number[] = [];
  const startedAt = Date.now();
  for (const socket of sockets) {
    socket.on("new_message", (event: WireMessage) => {
      const arrived = Date.now();
      const text = event.message?.text;
      const sentAt = Date.parse(event.message?.sentAt ?? "");
      if (text?.startsWith(PREFIX) && sentAt >= startedAt) latencies.push(arrived - sentAt);
    });
  }
  try {
    const events = rate * seconds;
    const report = await api<LoadReport>(options.sandboxUrl, "/_sandbox/load", {
      method: "POST",
      timeoutMs: seconds * 3_000 + 20_000,
      body: {
        platform: "messenger",
        count: events,
        ratePerSecond: rate,
        concurrency: 64,
        maxDurationMs: seconds * 3_000 + 10_000,
      },
    });
    const expectedDeliveries = report.acked * count;
    // Stragglers: up to 10 s for every acknowledged event to reach every socket.
    const deadline = Date.now() + 10_000;
    while (latencies.length < expectedDeliveries && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    return {
      sockets: count,
      rate,
      events: report.sent,
      acked: report.acked,
      expectedDeliveries,
      deliveries: latencies.length,
      latencyMs: summarize(latencies),
      ackMs: report.latencyMs,
    };
  } finally {
    for (const socket of sockets) socket.disconnect();
  }
}
