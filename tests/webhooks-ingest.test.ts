import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { contacts, conversations, messages } from "@/db/schema";
import { createAccount, type TestAccount } from "./factories/accounts";
import { createPlatformAccount } from "./factories/messaging";
import { fixtureIds, fixturePayload } from "./fixtures/webhooks/load";
import { deliverAndProcess } from "./support/webhooks";

let account: TestAccount;

beforeAll(async () => {
  account = await createAccount();
  await createPlatformAccount(account.workspace.id, {
    platform: "messenger",
    externalId: fixtureIds.messengerPageId,
    name: "Acme Page",
  });
});

describe("webhook ingest (smoke)", () => {
  it("stores a Messenger text message with its contact and conversation", async () => {
    const event = await deliverAndProcess("messenger", fixturePayload("messenger", "text"));
    expect(event.status).toBe("processed");
    const rows = await getDb().select().from(messages).orderBy(asc(messages.sentAt));
    expect(rows.length).toBeGreaterThan(0);
    const [conversation] = await getDb()
      .select()
      .from(conversations)
      .where(eq(conversations.id, rows[0]?.conversationId ?? ""));
    expect(conversation?.unreadCount).toBe(1);
    const people = await getDb().select().from(contacts);
    expect(people).toHaveLength(1);
  });
});
