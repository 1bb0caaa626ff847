import { sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as listConversationsRoute } from "@/app/api/conversations/route";
import { GET as searchMessagesRoute } from "@/app/api/messages/route";
import { GET as getEventRoute } from "@/app/api/webhook-events/[id]/route";
import { POST as reprocessRoute } from "@/app/api/webhook-events/[id]/reprocess/route";
import { getDb } from "@/db/client";
import { findRetryableEvents, insertWebhookEvent } from "@/db/queries/webhook-events";
import { logger } from "@/lib/logger";
import type { ConversationDto, MessageDto } from "@/lib/messaging/serialize";
import type { WebhookEventDetailDto } from "@/lib/webhooks/events-admin";
import { MAX_PROCESSING_ATTEMPTS, processWebhookEvent } from "@/lib/webhooks/process";
import type * as Jobs from "@/lib/jobs";
import { createAccount, type TestAccount } from "./factories/accounts";
import { createPlatformAccount } from "./factories/messaging";
import { fixtureIds } from "./fixtures/webhooks/load";
import { call } from "./support/api";
import { deliver, processed } from "./support/webhooks";

// When applying an entry throws, the event stays stored as failed with its error and a retry time;
// processing it again once the cause is gone applies what was missing and repeats nothing.

vi.mock("@/lib/jobs", async (original) => ({
  ...(await original<typeof Jobs>()),
  sendJob: vi.fn(async () => undefined),
}));

const PAGE = fixtureIds.messengerPageId;
const SECOND_PAGE = fixtureIds.otherMessengerPageId;

let owner: TestAccount;

/** Makes every insert of a message whose id starts with `m_boom` fail, like a database refusing writes. */
async function breakInsertsOfBoomMessages(): Promise<void> {
  await getDb().execute(sql`
    create or replace function test_refuse_boom() returns trigger language plpgsql as $$
    begin
      raise exception 'simulated storage failure for %', new.external_id;
    end $$`);
  await getDb().execute(sql`drop trigger if exists test_refuse_boom on messages`);
  await getDb().execute(sql`
    create trigger test_refuse_boom before insert on messages
    for each row when (new.external_id like 'm_boom%') execute function test_refuse_boom()`);
}

async function repairInserts(): Promise<void> {
  await getDb().execute(sql`drop trigger if exists test_refuse_boom on messages`);
}

/** One POST with an entry for each page: a healthy message on the first, a failing one on the second. */
function twoPages(suffix: string, timestamp: number) {
  const item = (page: string, mid: string, text: string, at: number) => ({
    sender: { id: "7000000000000077" },
    recipient: { id: page },
    timestamp: at,
    message: { mid, text },
  });
  return {
    object: "page",
    entry: [
      { id: PAGE, time: timestamp + 10, messaging: [item(PAGE, `m_fine-${suffix}`, "This one is fine", timestamp)] },
      {
        id: SECOND_PAGE,
        time: timestamp + 20,
        messaging: [item(SECOND_PAGE, `m_boom-${suffix}`, "This one breaks", timestamp + 1)],
      },
    ],
  };
}

async function messagesWith(externalId: string): Promise<MessageDto[]> {
  const result = await call<{ messages: MessageDto[] }>(searchMessagesRoute, {
    token: owner.token,
    path: "/api/messages?limit=100",
  });
  return result.body.messages.filter((message) => message.externalId === externalId);
}

async function conversationOn(platformAccountId: string): Promise<ConversationDto | undefined> {
  const result = await call<{ conversations: ConversationDto[] }>(listConversationsRoute, {
    token: owner.token,
    path: `/api/conversations?platformId=${platformAccountId}`,
  });
  return result.body.conversations[0];
}

let firstPageId = "";
let secondPageId = "";

beforeAll(async () => {
  owner = await createAccount();
  firstPageId = (await createPlatformAccount(owner.workspace.id, { platform: "messenger", externalId: PAGE, name: "Bistro" })).id;
  secondPageId = (
    await createPlatformAccount(owner.workspace.id, { platform: "messenger", externalId: SECOND_PAGE, name: "Bistro 2" })
  ).id;
});

afterEach(async () => {
  await repairInserts();
});

describe("an entry that fails to apply", () => {
  it("leaves the event stored as failed with its error, one attempt and a retry time, and applies the other entries", async () => {
    await breakInsertsOfBoomMessages();
    const started = Date.now();
    const answer = await deliver("messenger", twoPages("1", 1793710000000));
    // Meta gets its 200: the event is safely stored whatever processing does.
    expect(answer.status).toBe(200);
    const event = await processed(answer.body.id ?? "");
    expect(event).toMatchObject({ status: "failed", attempts: 1, processedAt: null, signatureOk: true });
    expect(event.error).toContain(SECOND_PAGE);
    expect(event.nextAttemptAt?.getTime()).toBeGreaterThan(started);
    expect(event.workspaceIds).toEqual([owner.workspace.id]);
    expect(event.rawBody).toContain("m_boom-1");

    expect(await messagesWith("m_fine-1")).toHaveLength(1);
    expect(await messagesWith("m_boom-1")).toHaveLength(0);
  });

  it("shows the failure in the webhook events API without the SQL or the customer's text", async () => {
    await breakInsertsOfBoomMessages();
    const answer = await deliver("messenger", twoPages("5", 1793710400000));
    const event = await processed(answer.body.id ?? "");
    const detail = await call<{ event: WebhookEventDetailDto }>(getEventRoute, {
      token: owner.token,
      path: `/api/webhook-events/${event.id}`,
      params: { id: event.id },
    });
    expect(detail.status).toBe(200);
    expect(detail.body.event).toMatchObject({ status: "failed", attempts: 1, nextAttemptAt: expect.any(String) as string });
    expect(detail.body.event.error).toContain(`${SECOND_PAGE}: `);
    expect(detail.body.event.error).not.toMatch(/insert into|params:|This one breaks/i);
  });

  it("records the cause of the failure, not just the statement that failed, as the event's error", async () => {
    await breakInsertsOfBoomMessages();
    const answer = await deliver("messenger", twoPages("6", 1793710500000));
    const event = await processed(answer.body.id ?? "");
    expect(event.status).toBe("failed");
    // The database's own message says why; Drizzle's wrapper only names the query (its cause holds the reason).
    expect(event.error).toContain("simulated storage failure for m_boom-6");
  });

  it("is picked up for an automatic retry once its backoff has passed", async () => {
    await breakInsertsOfBoomMessages();
    const answer = await deliver("messenger", twoPages("2", 1793710100000));
    const event = await processed(answer.body.id ?? "");
    expect(event.status).toBe("failed");
    const due = () => findRetryableEvents(getDb(), { maxAttempts: MAX_PROCESSING_ATTEMPTS, limit: 100 });
    expect((await due()).map((row) => row.id)).not.toContain(event.id);
    await getDb().execute(sql`update webhook_events set next_attempt_at = now() - interval '1 second' where id = ${event.id}`);
    expect((await due()).map((row) => row.id)).toContain(event.id);
  });

  it("processes completely when reprocessed after the cause is gone, duplicating nothing", async () => {
    await breakInsertsOfBoomMessages();
    const answer = await deliver("messenger", twoPages("3", 1793710200000));
    const failed = await processed(answer.body.id ?? "");
    expect(failed.status).toBe("failed");
    const unreadBefore = (await conversationOn(firstPageId))?.unreadCount;
    await repairInserts();

    const again = await call<{ event: WebhookEventDetailDto }>(reprocessRoute, {
      method: "POST",
      token: owner.token,
      path: `/api/webhook-events/${failed.id}/reprocess`,
      params: { id: failed.id },
    });
    expect(again.status).toBe(200);
    expect(again.body.event).toMatchObject({
      id: failed.id,
      status: "processed",
      attempts: 2,
      error: null,
      nextAttemptAt: null,
      processedAt: expect.any(String) as string,
    });
    expect(await messagesWith("m_fine-3")).toHaveLength(1);
    expect(await messagesWith("m_boom-3")).toEqual([expect.objectContaining({ text: "This one breaks", direction: "incoming" })]);
    // The first page's message was not counted again; the second page's conversation got its message.
    expect((await conversationOn(firstPageId))?.unreadCount).toBe(unreadBefore);
    expect((await conversationOn(secondPageId))?.lastMessagePreview).toBe("This one breaks");

    // Once more changes nothing either.
    const third = await processWebhookEvent(getDb(), failed.id, logger);
    expect(third?.status).toBe("processed");
    expect(third?.changes).toEqual([]);
    expect(await messagesWith("m_boom-3")).toHaveLength(1);
  });

  it("does not process again, from the line after the 200, an event the retry scan already processed", async () => {
    const answer = await deliver("messenger", twoPages("5", 1793710400000));
    const event = await processed(answer.body.id ?? "");
    expect(event.status).toBe("processed");
    const late = await processWebhookEvent(getDb(), event.id, logger, { onlyPending: true });
    expect(late).toBeUndefined();
    expect((await processed(event.id)).attempts).toBe(event.attempts);
  });

  it("stops planning automatic retries after the last attempt but keeps the event and its error", async () => {
    await breakInsertsOfBoomMessages();
    const answer = await deliver("messenger", twoPages("4", 1793710300000));
    let event = await processed(answer.body.id ?? "");
    for (let attempt = 2; attempt <= MAX_PROCESSING_ATTEMPTS; attempt++) {
      await processWebhookEvent(getDb(), event.id, logger);
    }
    event = await processed(event.id);
    expect(event).toMatchObject({ status: "failed", attempts: MAX_PROCESSING_ATTEMPTS, nextAttemptAt: null });
    expect(event.error).toContain(SECOND_PAGE);
    const due = await findRetryableEvents(getDb(), { maxAttempts: MAX_PROCESSING_ATTEMPTS, limit: 100 });
    expect(due.map((row) => row.id)).not.toContain(event.id);
  });
});

describe("concurrent deliveries", () => {
  it("processes two POSTs that name the same new customers in opposite orders, neither failing on a deadlock", async () => {
    // Meta sends many POSTs at once; each is processed right after its 200. Hold each new contact's
    // row a moment after it is written, so the two transactions overlap as they do under load.
    await getDb().execute(sql`
      create or replace function test_slow_contact() returns trigger language plpgsql as $$
      begin
        perform pg_sleep(0.3);
        return new;
      end $$`);
    await getDb().execute(sql`
      create trigger test_slow_contact after insert on contacts
      for each row when (new.external_id in ('7000000000000091', '7000000000000092')) execute function test_slow_contact()`);
    try {
      const post = (first: string, second: string, mid: string) => ({
        object: "page",
        entry: [
          {
            id: PAGE,
            time: 1793720000100,
            messaging: [first, second].map((psid, index) => ({
              sender: { id: psid },
              recipient: { id: PAGE },
              timestamp: 1793720000000 + index,
              message: { mid: `${mid}-${psid}`, text: `Hello from ${psid}` },
            })),
          },
        ],
      });
      // Both stored, then processed at the same moment, as after two 200s answered together.
      const ids = await Promise.all(
        [post("7000000000000091", "7000000000000092", "m_race-a"), post("7000000000000092", "7000000000000091", "m_race-b")].map(
          (payload) =>
            insertWebhookEvent(getDb(), { platform: "messenger", rawBody: JSON.stringify(payload), signatureOk: true }),
        ),
      );
      await Promise.all(ids.map((id) => processWebhookEvent(getDb(), id, logger)));
      const events = await Promise.all(ids.map((id) => processed(id)));
      expect(events.map((event) => [event.status, event.error])).toEqual([
        ["processed", null],
        ["processed", null],
      ]);
      for (const mid of [
        "m_race-a-7000000000000091",
        "m_race-a-7000000000000092",
        "m_race-b-7000000000000091",
        "m_race-b-7000000000000092",
      ]) {
        expect(await messagesWith(mid), mid).toHaveLength(1);
      }
    } finally {
      await getDb().execute(sql`drop trigger if exists test_slow_contact on contacts`);
    }
  });
});
