import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { GET as searchMessagesRoute } from "@/app/api/messages/route";
import { GET as getEventRoute } from "@/app/api/webhook-events/[id]/route";
import { POST as reprocessRoute } from "@/app/api/webhook-events/[id]/reprocess/route";
import { GET as listEventsRoute } from "@/app/api/webhook-events/route";
import { getDb } from "@/db/client";
import { insertWebhookEvent } from "@/db/queries/webhook-events";
import type { MessageDto } from "@/lib/messaging/serialize";
import type { WebhookEventDetailDto, WebhookEventDto } from "@/lib/webhooks/events-admin";
import type * as Jobs from "@/lib/jobs";
import { addTeammate, createAccount, type TestAccount } from "./factories/accounts";
import { createPlatformAccount } from "./factories/messaging";
import { fixtureIds, fixturePayload } from "./fixtures/webhooks/load";
import { call } from "./support/api";
import { deliver, deliverAndProcess, metaSerialize } from "./support/webhooks";

// GET /api/webhook-events, GET /api/webhook-events/{id}, POST /api/webhook-events/{id}/reprocess:
// what each caller sees of the stored deliveries, and who may process one again.

vi.mock("@/lib/jobs", async (original) => ({
  ...(await original<typeof Jobs>()),
  sendJob: vi.fn(async () => undefined),
}));

type Page = { events: WebhookEventDto[]; nextCursor: string | null };
type ErrorEnvelope = { error: { code: string; message: string; details?: Record<string, unknown> } };

let owner: TestAccount;
let other: TestAccount;
const mine: string[] = [];
let theirs = "";
let unrouted = "";

async function list(token: string | undefined, query = ""): Promise<{ status: number; body: Page & Partial<ErrorEnvelope> }> {
  return call<Page & Partial<ErrorEnvelope>>(listEventsRoute, { token, path: `/api/webhook-events${query}` });
}

async function detail(token: string | undefined, id: string) {
  return call<{ event: WebhookEventDetailDto } & Partial<ErrorEnvelope>>(getEventRoute, {
    token,
    path: `/api/webhook-events/${id}`,
    params: { id },
  });
}

async function reprocess(token: string | undefined, id: string) {
  return call<{ event: WebhookEventDetailDto } & Partial<ErrorEnvelope>>(reprocessRoute, {
    method: "POST",
    token,
    path: `/api/webhook-events/${id}/reprocess`,
    params: { id },
  });
}

beforeAll(async () => {
  owner = await createAccount();
  other = await createAccount();
  await createPlatformAccount(owner.workspace.id, {
    platform: "messenger",
    externalId: fixtureIds.messengerPageId,
    name: "Bistro",
  });
  await createPlatformAccount(owner.workspace.id, {
    platform: "instagram",
    externalId: fixtureIds.instagramAccountId,
    name: "IG",
  });
  await createPlatformAccount(other.workspace.id, {
    platform: "whatsapp",
    externalId: fixtureIds.whatsappPhoneNumberId,
    name: "Other's number",
  });

  for (const [platform, kind] of [
    ["messenger", "text"],
    ["messenger", "echo-app"],
    ["instagram", "text"],
    ["messenger", "read"],
    ["instagram", "batched"],
  ] as const) {
    mine.push((await deliverAndProcess(platform, fixturePayload(platform, kind))).id);
  }
  theirs = (await deliverAndProcess("whatsapp", fixturePayload("whatsapp", "text"))).id;
  // An entry for a page nobody connected, and a forged POST: stored, but nobody's to see.
  const nobody = structuredClone(fixturePayload("messenger", "text")) as {
    entry: { id: string; messaging: { recipient: { id: string } }[] }[];
  };
  for (const entry of nobody.entry) entry.id = "106199999999999";
  unrouted = (await deliverAndProcess("messenger", nobody)).id;
  await deliver("messenger", fixturePayload("messenger", "postback"), { signature: "sha256=" + "0".repeat(64) });
});

describe("GET /api/webhook-events", () => {
  it("lists the events routed to the caller's workspaces, newest first, with the documented fields", async () => {
    const page = await list(owner.token);
    expect(page.status).toBe(200);
    expect(page.body.nextCursor).toBeNull();
    expect(page.body.events.map((event) => event.id)).toEqual([...mine].reverse());
    const [latest] = page.body.events;
    expect(Object.keys(latest ?? {}).sort()).toEqual(
      [
        "attempts",
        "error",
        "id",
        "object",
        "platform",
        "processedAt",
        "receivedAt",
        "signatureOk",
        "size",
        "status",
        "summary",
      ].sort(),
    );
    const body = metaSerialize(fixturePayload("instagram", "batched"));
    expect(latest).toEqual({
      id: mine[4],
      platform: "instagram",
      object: "instagram",
      status: "processed",
      signatureOk: true,
      attempts: 1,
      error: null,
      summary: {
        kinds: { message: 3, status: 1 },
        entries: 2,
        unrouted: [fixtureIds.otherInstagramAccountId],
        // The batch's "seen" is about a message not stored yet: kept until it arrives.
        waiting: 1,
        ignored: [],
        rejected: [],
      },
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as string,
      processedAt: expect.stringMatching(/Z$/) as string,
      size: Buffer.byteLength(body),
    });
    // The list never carries the raw bodies.
    expect(JSON.stringify(page.body)).not.toContain("aWdfZAG1fixture-batch-0001");
  });

  it("shows a user nothing of another workspace's events, of unrouted ones or of refused ones", async () => {
    const ownerIds = (await list(owner.token, "?limit=100")).body.events.map((event) => event.id);
    expect(ownerIds).not.toContain(theirs);
    expect(ownerIds).not.toContain(unrouted);
    expect(ownerIds).toHaveLength(mine.length);
    const otherPage = await list(other.token);
    expect(otherPage.body.events.map((event) => event.id)).toEqual([theirs]);
  });

  it("filters by platform and by status", async () => {
    const instagram = await list(owner.token, "?platform=instagram");
    expect(instagram.body.events.map((event) => event.id)).toEqual([mine[4], mine[2]]);
    expect((await list(owner.token, "?status=processed&platform=messenger")).body.events.map((event) => event.id)).toEqual([
      mine[3],
      mine[1],
      mine[0],
    ]);
    expect((await list(owner.token, "?status=failed")).body.events).toEqual([]);
  });

  it("pages with an opaque cursor until nextCursor is null, each event once", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(owner.token, `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(page.status).toBe(200);
      expect(page.body.events.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.events.map((event) => event.id));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual([...mine].reverse());
    expect(pages).toBe(3);
  });

  it("pages without losing events received in the same millisecond", async () => {
    // Busy pages deliver in bursts: receipt times differ by microseconds within one millisecond.
    const fresh = await createAccount();
    const ids: string[] = [];
    for (let index = 0; index < 4; index++) {
      const id = await insertWebhookEvent(getDb(), {
        platform: "messenger",
        rawBody: "{}",
        signatureOk: true,
        status: "processed",
      });
      await getDb().execute(sql`
        update webhook_events set workspace_ids = array[${fresh.workspace.id}]::uuid[],
          received_at = timestamptz '2026-11-20 10:00:00.123000+00' + make_interval(secs => ${(index * 100) / 1_000_000})
        where id = ${id}`);
      ids.push(id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(fresh.token, `?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      seen.push(...page.body.events.map((event) => event.id));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual([...ids].reverse());
  });

  it("answers 400 with the zod issues to a limit outside 1..100, an unknown status or platform, and a foreign cursor", async () => {
    for (const query of ["?limit=0", "?limit=101", "?limit=ten", "?status=lost", "?platform=telegram"]) {
      const page = await list(owner.token, query);
      expect(page.status, query).toBe(400);
      expect(page.body.error?.code, query).toBe("validation_failed");
      expect(page.body.error?.details?.issues, query).toEqual([
        expect.objectContaining({ path: expect.any(String) as string, message: expect.any(String) as string }),
      ]);
    }
    const cursor = await list(owner.token, "?cursor=bm90LWEtY3Vyc29y");
    expect(cursor.status).toBe(400);
    expect(cursor.body.error).toMatchObject({ code: "bad_request", details: { field: "cursor" } });
    expect((await list(owner.token, "?limit=100")).status).toBe(200);
    expect((await list(owner.token, "?limit=1")).status).toBe(200);
  });

  it("answers 401 without a session or bearer token", async () => {
    const page = await list(undefined);
    expect(page.status).toBe(401);
    expect(page.body.error?.code).toBe("unauthorized");
    expect((await list("not-a-token")).status).toBe(401);
  });
});

describe("GET /api/webhook-events/{id}", () => {
  it("returns the event with its raw body exactly as received, as a string", async () => {
    const answer = await detail(owner.token, mine[0] ?? "");
    expect(answer.status).toBe(200);
    const raw = metaSerialize(fixturePayload("messenger", "text"));
    expect(answer.body.event).toMatchObject({
      id: mine[0],
      platform: "messenger",
      object: "page",
      status: "processed",
      attempts: 1,
      nextAttemptAt: null,
      summary: { kinds: { message: 1 }, entries: 1, unrouted: [] },
      size: Buffer.byteLength(raw),
    });
    // Meta's escaping is kept (\u00c7a, not Ça): the bytes the signature covers.
    expect(answer.body.event.payload).toBe(raw);
    expect(answer.body.event.payload).toContain("\\u00c7a");
  });

  it("answers 404 to another workspace's event, an unrouted one and an unknown id; 400 to a malformed id; 401 without auth", async () => {
    expect((await detail(owner.token, theirs)).status).toBe(404);
    expect((await detail(other.token, mine[0] ?? "")).status).toBe(404);
    expect((await detail(owner.token, unrouted)).status).toBe(404);
    const unknown = await detail(owner.token, "00000000-0000-4000-8000-000000000000");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe("not_found");
    expect((await detail(owner.token, "not-a-uuid")).status).toBe(400);
    expect((await detail(undefined, mine[0] ?? "")).status).toBe(401);
  });

  it("lets every member of the workspace, agents too, read its events", async () => {
    const agent = await addTeammate(owner.workspace, "agent");
    expect((await detail(agent.token, mine[1] ?? "")).status).toBe(200);
    expect((await list(agent.token)).body.events).toHaveLength(mine.length);
  });
});

describe("POST /api/webhook-events/{id}/reprocess", () => {
  async function messages(token: string): Promise<MessageDto[]> {
    return (await call<{ messages: MessageDto[] }>(searchMessagesRoute, { token, path: "/api/messages?limit=100" })).body
      .messages;
  }

  it("processes the event again for its owner, changing nothing already applied", async () => {
    const before = await messages(owner.token);
    const answer = await reprocess(owner.token, mine[1] ?? "");
    expect(answer.status).toBe(200);
    expect(answer.body.event).toMatchObject({ id: mine[1], status: "processed", attempts: 2, error: null });
    expect(answer.body.event.payload).toBe(metaSerialize(fixturePayload("messenger", "echo-app")));
    const after = await messages(owner.token);
    expect(after).toEqual(before);
  });

  it("lets an admin reprocess and answers 403 to an agent of the same workspace", async () => {
    const admin = await addTeammate(owner.workspace, "admin");
    expect((await reprocess(admin.token, mine[0] ?? "")).status).toBe(200);
    const agent = await addTeammate(owner.workspace, "agent");
    const refused = await reprocess(agent.token, mine[0] ?? "");
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe("forbidden");
    // The admin's run counted; the agent's refused one did not.
    expect((await detail(owner.token, mine[0] ?? "")).body.event.attempts).toBe(2);
  });

  it("answers 404 to another workspace's event, 400 to a malformed id and 401 without auth", async () => {
    const foreign = await reprocess(other.token, mine[0] ?? "");
    expect(foreign.status).toBe(404);
    expect(foreign.body.error?.code).toBe("not_found");
    expect((await reprocess(owner.token, theirs)).status).toBe(404);
    expect((await reprocess(owner.token, unrouted)).status).toBe(404);
    expect((await reprocess(owner.token, "42")).status).toBe(400);
    expect((await reprocess(undefined, mine[0] ?? "")).status).toBe(401);
    // Nothing ran for the refused calls.
    expect((await detail(other.token, theirs)).body.event.attempts).toBe(1);
  });
});
