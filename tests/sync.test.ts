import { InngestTestEngine } from "@inngest/test";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { startTestMeta, consentInDialog, type TestMeta } from "./support/sandbox";

const meta: TestMeta = await startTestMeta();

const { getDb } = await import("@/db/client");
const { platformAccounts, messages, webhookEvents, realtimeEvents, conversations } = await import("@/db/schema");
const { runSync } = await import("@/lib/sync/run");
const { inlineJobs } = await import("@/lib/jobs");
const { logger } = await import("@/lib/logger");
const { syncPlatform } = await import("@/inngest/functions/sync-platform");
const { processWebhook } = await import("@/inngest/functions/process-webhook");
const { storeMedia } = await import("@/inngest/functions/store-media");
const { fetchProfile } = await import("@/inngest/functions/fetch-profile");
const { notifySeenFunction } = await import("@/inngest/functions/notify-seen");
const { retrySend } = await import("@/inngest/functions/retry-send");
const { scheduledFunctions } = await import("@/inngest/functions/scheduled");
const { asStepError } = await import("@/inngest/functions/step-errors");
const { GraphError } = await import("@/lib/platforms/meta/graph");
const { checkTokenHealth, cleanUpExpired, reprocessDueWebhooks } = await import("@/lib/maintenance/tasks");
const { POST: connectMessenger } = await import("@/app/api/platforms/messenger/connect/route");
const { POST: connectWhatsapp } = await import("@/app/api/platforms/whatsapp/connect/route");
const { GET: callback } = await import("@/app/api/platforms/callback/route");
const { GET: listConversations } = await import("@/app/api/conversations/route");
const { createAccount } = await import("./factories/accounts");
const { createContact, createConversation, createMessage } = await import("./factories/messaging");
const { call } = await import("./support/api");
const { connectSandboxAccounts, injectFailure, SANDBOX } = await import("./support/meta-accounts");

const log = logger.child({ scope: "test" });
const noWait = { retryDelaysMs: [1, 1, 1], sleep: async () => undefined };

afterAll(async () => {
  await (await inlineJobs()).idle();
  await meta.close();
});

/** How many messages the sandbox holds for an account: what a complete import must bring in. */
async function sandboxMessageCount(platform: "messenger" | "instagram"): Promise<number> {
  const response = await fetch(`${meta.sandbox.url}/_sandbox/threads?platform=${platform}`);
  const body = (await response.json()) as { threads: { messages: { deleted?: boolean }[] }[] };
  return body.threads.reduce((sum, thread) => sum + thread.messages.filter((message) => !message.deleted).length, 0);
}

async function storedCount(platformAccountId: string): Promise<number> {
  const [row] = await getDb()
    .select({ n: sql<number>`count(*)::int` })
    .from(messages)
    .where(eq(messages.platformAccountId, platformAccountId));
  return row?.n ?? 0;
}

async function freshAccounts() {
  await meta.settle();
  await getDb().delete(platformAccounts);
  const owner = await createAccount();
  return { owner, accounts: await connectSandboxAccounts(meta, owner.workspace.id) };
}

describe("history import through the in-process driver", () => {
  it("imports every conversation and message of a Messenger page, and a second run imports nothing", async () => {
    const { accounts } = await freshAccounts();
    const expected = await sandboxMessageCount("messenger");
    expect(expected).toBeGreaterThan(50);
    const imported = await runSync(
      getDb(),
      { platformAccountId: accounts.messenger.id, syncId: "00000000-0000-4000-8000-000000000001", reason: "connect" },
      log,
      noWait,
    );
    expect(imported).toBe(expected);
    expect(await storedCount(accounts.messenger.id)).toBe(expected);

    const again = await runSync(
      getDb(),
      { platformAccountId: accounts.messenger.id, syncId: "00000000-0000-4000-8000-000000000002", reason: "manual" },
      log,
      noWait,
    );
    expect(again).toBe(0);
    expect(await storedCount(accounts.messenger.id)).toBe(expected);
    // Only what Meta counts unread stays unread; the rest of the history arrives read.
    const threads = (await (await fetch(`${meta.sandbox.url}/_sandbox/threads?platform=messenger`)).json()) as {
      threads: { messages: { from: string; seenByBusiness?: boolean; deleted?: boolean }[] }[];
    };
    const unseen = threads.threads.reduce(
      (sum, thread) => sum + thread.messages.filter((m) => m.from === "customer" && !m.seenByBusiness && !m.deleted).length,
      0,
    );
    const [unread] = await getDb()
      .select({ n: sql<number>`coalesce(sum(${conversations.unreadCount}), 0)::int` })
      .from(conversations)
      .where(eq(conversations.platformAccountId, accounts.messenger.id));
    expect(unread?.n).toBe(unseen);
    expect(unseen).toBeLessThan(expected);
    const [account] = await getDb().select().from(platformAccounts).where(eq(platformAccounts.id, accounts.messenger.id));
    expect(account?.lastSyncedAt).not.toBeNull();
    expect(account?.syncCursor).toBeNull();
  });

  it("rolls up every closed day the import touched, so the dashboard reads the history from analytics_daily", async () => {
    const { owner, accounts } = await freshAccounts();
    await runSync(
      getDb(),
      { platformAccountId: accounts.messenger.id, syncId: "00000000-0000-4000-8000-000000000021", reason: "connect" },
      log,
      noWait,
    );
    await (await inlineJobs()).idle();
    // Closed days are those before today in the workspace's zone; each counted message of one is in its roll-up.
    const zone = sql`(select timezone from workspaces where id = ${owner.workspace.id})`;
    const closed = await getDb().execute<{ days: number; counted: number }>(sql`
      select count(distinct (sent_at at time zone ${zone})::date)::int as days, count(*)::int as counted
      from messages
      where platform_account_id = ${accounts.messenger.id} and status <> 'failed'
        and (sent_at at time zone ${zone})::date < (now() at time zone ${zone})::date`);
    const rolled = await getDb().execute<{ days: number; counted: number }>(sql`
      select count(distinct date) filter (where incoming + outgoing > 0)::int as days,
             coalesce(sum(incoming + outgoing), 0)::int as counted
      from analytics_daily where workspace_id = ${owner.workspace.id} and platform = 'messenger'`);
    expect(closed.rows[0]?.counted).toBeGreaterThan(0);
    expect(rolled.rows[0]).toEqual(closed.rows[0]);
  });

  it("announces the start, progress and completion to the workspace", async () => {
    const { accounts } = await freshAccounts();
    const syncId = "00000000-0000-4000-8000-000000000003";
    await runSync(getDb(), { platformAccountId: accounts.instagram.id, syncId, reason: "connect" }, log, noWait);
    const events = await getDb()
      .select()
      .from(realtimeEvents)
      .where(eq(realtimeEvents.workspaceId, accounts.instagram.workspaceId));
    const types = events.filter((event) => (event.payload as { syncId?: string }).syncId === syncId).map((event) => event.type);
    expect(types[0]).toBe("sync_started");
    expect(types.at(-1)).toBe("sync_completed");
    const completed = events.find((event) => event.type === "sync_completed");
    expect((completed?.payload as { imported: number }).imported).toBe(await sandboxMessageCount("instagram"));
  });

  it("waits out Meta's rate limits and finishes the import", async () => {
    const { accounts } = await freshAccounts();
    await injectFailure(meta, { kind: "rate_limit_page", count: 2, account: SANDBOX.pageId });
    const waits: number[] = [];
    const imported = await runSync(
      getDb(),
      { platformAccountId: accounts.messenger.id, syncId: "00000000-0000-4000-8000-000000000004", reason: "connect" },
      log,
      { retryDelaysMs: [11, 22, 33], sleep: async (ms) => void waits.push(ms) },
    );
    expect(waits).toEqual([11, 22]);
    expect(imported).toBe(await sandboxMessageCount("messenger"));
  });

  it("resumes an interrupted import from where it stopped, importing nothing twice", async () => {
    const { accounts } = await freshAccounts();
    const { startSync, syncStep } = await import("@/lib/sync/backfill");
    const syncId = "00000000-0000-4000-8000-000000000005";
    const expected = await sandboxMessageCount("messenger");

    // Three conversations per step; the first step succeeds and saves its position.
    const state = await startSync(getDb(), { platformAccountId: accounts.messenger.id, syncId, since: null, pageSize: 3 });
    const first = await syncStep(getDb(), { platformAccountId: accounts.messenger.id, state: state ?? ({} as never) }, log);
    expect(first.done).toBe(false);
    const afterFirst = await storedCount(accounts.messenger.id);
    expect(afterFirst).toBeGreaterThan(0);
    expect(afterFirst).toBeLessThan(expected);

    // Then Meta fails for longer than the retries last: the run gives up, the position stays saved.
    await injectFailure(meta, { kind: "server_error", count: 50, status: 503, account: SANDBOX.pageId });
    await expect(
      runSync(getDb(), { platformAccountId: accounts.messenger.id, syncId, reason: "connect" }, log, {
        retryDelaysMs: [1, 1],
        sleep: async () => undefined,
      }),
    ).rejects.toThrow();
    await fetch(`${meta.sandbox.url}/_sandbox/failures`, { method: "DELETE" });
    const [saved] = await getDb().select().from(platformAccounts).where(eq(platformAccounts.id, accounts.messenger.id));
    expect(saved?.syncCursor).toMatchObject({ syncId, conversations: 3 });
    expect(await storedCount(accounts.messenger.id)).toBe(afterFirst);

    // The same sync resumes from the saved position and completes without duplicates.
    const imported = await runSync(getDb(), { platformAccountId: accounts.messenger.id, syncId, reason: "connect" }, log, noWait);
    expect(imported).toBe(expected);
    expect(await storedCount(accounts.messenger.id)).toBe(expected);
    const [row] = await getDb()
      .select({ duplicates: sql<number>`count(*) - count(distinct ${messages.externalId})` })
      .from(messages)
      .where(eq(messages.platformAccountId, accounts.messenger.id));
    expect(Number(row?.duplicates)).toBe(0);
  });
});

describe("connecting in dev mode brings the history in", () => {
  it("connects Messenger through OAuth and WhatsApp by token, and finds their history in the inbox", async () => {
    await meta.settle();
    await getDb().delete(platformAccounts);
    const owner = await createAccount();
    const start = await call<{ authorizeUrl: string }>(connectMessenger, { token: owner.token, body: {} });
    const redirect = await consentInDialog(start.body.authorizeUrl);
    const connected = await call<{ platforms: { id: string }[] }>(callback, {
      token: owner.token,
      path: `/api/platforms/callback${redirect.search}`,
      headers: { accept: "application/json" },
    });
    expect(connected.status).toBe(200);
    const whatsapp = await call(connectWhatsapp, {
      token: owner.token,
      body: {
        accessToken: meta.sandbox.context.systemUserToken(SANDBOX.wabaId),
        phoneNumberId: SANDBOX.phoneNumberId,
        businessAccountId: SANDBOX.wabaId,
      },
    });
    expect(whatsapp.status).toBe(201);

    // The connect queued the backfill on the in-process driver; WhatsApp's history comes as webhooks.
    await (await inlineJobs()).idle();
    await meta.settle();
    const list = async (platform: string) =>
      (
        await call<{ conversations: unknown[] }>(listConversations, {
          token: owner.token,
          path: `/api/conversations?platform=${platform}&limit=100`,
        })
      ).body.conversations.length;
    expect(await list("messenger")).toBeGreaterThanOrEqual(8);
    expect(await list("whatsapp")).toBeGreaterThanOrEqual(8);
    const messenger = connected.body.platforms[0]?.id ?? "";
    expect(await storedCount(messenger)).toBe(await sandboxMessageCount("messenger"));
  });
});

describe("Inngest functions run the same domain code (through @inngest/test, real steps)", () => {
  it("sync-platform imports the history page by page and is idempotent", async () => {
    const { accounts } = await freshAccounts();
    const event = {
      name: "platform/sync.requested",
      data: { platformAccountId: accounts.instagram.id, syncId: "00000000-0000-4000-8000-000000000010", reason: "connect" },
    } as const;
    const first = await new InngestTestEngine({ function: syncPlatform, events: [event] }).execute();
    expect(first.error).toBeUndefined();
    expect(first.result).toEqual({ imported: await sandboxMessageCount("instagram") });
    const second = await new InngestTestEngine({
      function: syncPlatform,
      events: [{ ...event, data: { ...event.data, syncId: "00000000-0000-4000-8000-000000000011" } }],
    }).execute();
    expect(second.result).toEqual({ imported: 0 });
  });

  it("turns Meta's rate limits into a delayed retry and final refusals into no retry", async () => {
    const { RetryAfterError, NonRetriableError } = await import("inngest");
    expect(asStepError(new GraphError("slow down", "rate_limit", 400, 4, null))).toBeInstanceOf(RetryAfterError);
    expect(asStepError(new GraphError("no", "rejected", 400, 100, null))).toBeInstanceOf(NonRetriableError);
    const outage = new GraphError("down", "unavailable", 503, null, null);
    expect(asStepError(outage)).toBe(outage);
  });

  it("process-webhook applies a stored event and re-running it changes nothing", async () => {
    const { accounts } = await freshAccounts();
    const payload = {
      object: "page",
      entry: [
        {
          id: SANDBOX.pageId,
          time: Date.now(),
          messaging: [
            {
              sender: { id: "24016000000000109" },
              recipient: { id: SANDBOX.pageId },
              timestamp: Date.now(),
              message: { mid: "m_inngest_1", text: "via inngest" },
            },
          ],
        },
      ],
    };
    const [stored] = await getDb()
      .insert(webhookEvents)
      .values({ platform: "messenger", rawBody: JSON.stringify(payload), signatureOk: true })
      .returning();
    const event = { name: "webhook/process.requested", data: { eventId: stored?.id ?? "" } } as const;
    const first = await new InngestTestEngine({ function: processWebhook, events: [event] }).execute();
    expect(first.result).toEqual({ status: "processed", changes: 1 });
    const second = await new InngestTestEngine({ function: processWebhook, events: [event] }).execute();
    expect(second.result).toEqual({ status: "processed", changes: 0 });
    expect(await storedCount(accounts.messenger.id)).toBe(1);
  });

  it("store-media, fetch-contact-profile, notify-seen and retry-send run their steps for real", async () => {
    const { accounts } = await freshAccounts();
    const contact = await createContact(accounts.messenger, { externalId: "24016000000000105", name: null });
    const conversation = await createConversation(accounts.messenger, {
      contact,
      lastMessageAt: new Date(),
      lastIncomingAt: new Date(),
    });
    const image = await createMessage(conversation, {
      type: "image",
      attachments: [{ type: "image", url: `${meta.sandbox.url}/_sandbox/media/photo.png`, mimeType: null, name: null }],
    });

    const media = await new InngestTestEngine({
      function: storeMedia,
      events: [{ name: "media/store.requested", data: { messageId: image.id } }],
    }).execute();
    expect(media.result).toBe(1);
    const profile = await new InngestTestEngine({
      function: fetchProfile,
      events: [{ name: "contact/profile.requested", data: { contactId: contact.id } }],
    }).execute();
    expect(profile.result).toBe(true);
    const seen = await new InngestTestEngine({
      function: notifySeenFunction,
      events: [
        {
          name: "conversation/seen.requested",
          data: { conversationId: conversation.id, messageExternalIds: [image.externalId ?? ""] },
        },
      ],
    }).execute();
    expect(seen.error).toBeUndefined();

    const failed = await createMessage(conversation, {
      direction: "outgoing",
      externalId: null,
      status: "failed",
      text: "retry me",
      error: { code: "platform_unavailable", message: "down" },
    });
    const retried = await new InngestTestEngine({
      function: retrySend,
      events: [{ name: "message/send.retry", data: { messageId: failed.id, attempt: 1 } }],
    }).execute();
    expect(retried.error).toBeUndefined();
    const [after] = await getDb().select().from(messages).where(eq(messages.id, failed.id));
    expect(after?.status).toBe("sent");
    expect(after?.externalId).toBeTruthy();
  });

  it("the scheduled functions run the periodic tasks", async () => {
    await freshAccounts();
    for (const fn of scheduledFunctions) {
      const run = await new InngestTestEngine({
        function: fn,
        events: [{ name: "inngest/scheduled.timer", data: {} }],
      }).execute();
      expect(run.error).toBeUndefined();
    }
  });
});

describe("periodic maintenance", () => {
  it("reprocesses a failed webhook event once its backoff has passed", async () => {
    const { accounts } = await freshAccounts();
    const payload = {
      object: "page",
      entry: [
        {
          id: SANDBOX.pageId,
          time: Date.now(),
          messaging: [
            {
              sender: { id: "24016000000000108" },
              recipient: { id: SANDBOX.pageId },
              timestamp: Date.now(),
              message: { mid: "m_retry_1", text: "second time lucky" },
            },
          ],
        },
      ],
    };
    await getDb()
      .insert(webhookEvents)
      .values({
        platform: "messenger",
        rawBody: JSON.stringify(payload),
        signatureOk: true,
        status: "failed",
        attempts: 1,
        error: "earlier failure",
        nextAttemptAt: new Date(Date.now() - 1000),
      });
    expect(await reprocessDueWebhooks(getDb(), log)).toBe(1);
    expect(await storedCount(accounts.messenger.id)).toBe(1);
    expect(await reprocessDueWebhooks(getDb(), log)).toBe(0);
  });

  it("marks a revoked token needs_reauth and re-subscribes a page Meta unsubscribed", async () => {
    const { accounts } = await freshAccounts();
    await fetch(`${meta.sandbox.url}/v25.0/${SANDBOX.pageId}/subscribed_apps`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${meta.sandbox.context.pageToken(SANDBOX.pageId)}` },
    });
    await fetch(`${meta.sandbox.url}/_sandbox/tokens/revoke`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: meta.sandbox.context.systemUserToken(SANDBOX.wabaId) }),
    });
    const counts = await checkTokenHealth(getDb(), log);
    expect(counts.needs_reauth).toBe(1);
    expect(counts.resubscribed).toBeGreaterThanOrEqual(1);
    const [whatsapp] = await getDb().select().from(platformAccounts).where(eq(platformAccounts.id, accounts.whatsapp.id));
    expect(whatsapp?.status).toBe("needs_reauth");
    expect(meta.sandbox.state.subscriptions.get(SANDBOX.pageId)).toEqual(expect.arrayContaining(["messages"]));
  });

  it("cleans up expired rows without touching live ones", async () => {
    const result = await cleanUpExpired(getDb());
    expect(result).toEqual(expect.objectContaining({ rateLimits: expect.any(Number), realtimeEvents: expect.any(Number) }));
  });
});
