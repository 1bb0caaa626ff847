import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { AuthPages } from "./pages/auth";
import { InboxPage } from "./pages/inbox";
import { PlatformsPage } from "./pages/platforms";
import { withDatabase } from "./support/database";
import { customerSends, SANDBOX_URL, sandboxSent, sandboxState } from "./support/sandbox";
import { newUser } from "./support/users";

const WABA_ID = "102200000000001";
const PHONE_NUMBER_ID = "109100000000001";

// The sandbox's first customer on each platform (sandbox/fixtures/default.json).
const customers = { messenger: "24016000000000101", instagram: "17849000000000201", whatsapp: "15550100101" } as const;
const platformNames = { messenger: "Messenger", instagram: "Instagram", whatsapp: "WhatsApp" } as const;
type Platform = keyof typeof customers;
const PLATFORMS: Platform[] = ["messenger", "instagram", "whatsapp"];

const token = () => randomBytes(3).toString("hex");

// The sandbox's Page, Instagram account and number can be live in one workspace at a time, so one
// agent connects them once and the whole journey runs in order on one page.
test.describe.serial("the inbox", () => {
  let page: Page;
  let inbox: InboxPage;
  // The conversation of each platform's customer, found in the second test.
  const conversation = {} as Record<Platform, { id: string }>;

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    inbox = new InboxPage(page);
  });

  test.afterAll(async () => {
    // Hand the sandbox's accounts back, so other specs can connect them.
    const response = await page.request.get("/api/platforms");
    if (response.ok()) {
      const { platforms } = (await response.json()) as { platforms: { id: string }[] };
      for (const platform of platforms) await page.request.delete(`/api/platforms/${platform.id}`);
    }
    await page.close();
  });

  test("an agent without a platform is sent from / to Settings → Platforms, and to the inbox once one is connected", async () => {
    test.setTimeout(150_000); // three connects and their history imports
    await new AuthPages(page).signUp(newUser());
    await expect(page.getByRole("heading", { name: "Your inbox is empty" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Connect a platform" })).toHaveAttribute("href", "/settings/platforms");

    await page.goto("/");
    await expect(page).toHaveURL(/\/settings\/platforms$/);

    const platforms = new PlatformsPage(page);
    await platforms.connectThroughMeta("Messenger");
    await platforms.connectThroughMeta("Instagram");
    const { tokens } = await sandboxState();
    await platforms.connectWhatsApp({
      phoneNumberId: PHONE_NUMBER_ID,
      businessAccountId: WABA_ID,
      accessToken: tokens.whatsapp[WABA_ID] ?? "",
    });
    await expect(platforms.card("whatsapp")).toContainText("Active");

    await page.goto("/");
    await expect(page).toHaveURL(/\/inbox$/);
    // Connecting imports the sandbox's history; let its webhooks land before the journey starts.
    const idle = await fetch(`${SANDBOX_URL}/_sandbox/idle?timeoutMs=30000`);
    expect(idle.status).toBe(200);
    // ... and the Page's and Instagram account's history imports finish, so the live-latency checks
    // below measure live traffic, not a machine still busy importing.
    await expect
      .poll(
        async () => {
          const response = await page.request.get("/api/platforms");
          const { platforms } = (await response.json()) as { platforms: { platform: Platform; lastSyncedAt: string | null }[] };
          return platforms.filter((platform) => platform.platform !== "whatsapp" && !platform.lastSyncedAt).length;
        },
        { timeout: 90_000 },
      )
      .toBe(0);
  });

  test("a customer writes on each platform and each conversation appears with an unread badge", async () => {
    await inbox.open();
    const texts: Record<Platform, string> = {
      messenger: `Do you have oat milk? ${token()}`,
      instagram: `Vous êtes ouverts dimanche ? ${token()}`,
      whatsapp: `Hola, ¿tienen café sin lactosa? ${token()}`,
    };
    for (const platform of PLATFORMS) await customerSends({ platform, customer: customers[platform], text: texts[platform] });
    for (const platform of PLATFORMS) {
      // Live: the inbox was open before the customers wrote.
      const row = inbox.row(texts[platform]);
      await expect(row).toBeVisible();
      await expect(row.getByTestId("unread-badge")).toBeVisible();
      await expect(row.getByRole("img", { name: platformNames[platform] })).toBeVisible();
      conversation[platform] = { id: (await row.getAttribute("data-conversation-id")) ?? "" };
    }
    await expect(page).toHaveTitle(/^\(\d+\) Inbox · Chats$/);
    await expect(inbox.platformButton("Messenger")).toHaveAccessibleName(/unread/);

    // The platform selector narrows the list.
    await inbox.platformButton("Instagram").click();
    await expect(page).toHaveURL(/platform=instagram/);
    await expect(inbox.row(conversation.instagram)).toBeVisible();
    await expect(inbox.row(conversation.messenger)).toHaveCount(0);
    await inbox.platformButton("All").click();
    await expect(inbox.row(conversation.messenger)).toBeVisible();
  });

  test("the agent opens a conversation, which clears its badge, replies, the sandbox records the Send API call and the ticks advance", async () => {
    await inbox.open();
    await expect(inbox.unreadBadge(conversation.messenger)).toBeVisible();
    await inbox.openConversation(conversation.messenger);
    await expect(inbox.unreadBadge(conversation.messenger)).toHaveCount(0);
    await expect(inbox.details).toContainText(customers.messenger);
    await expect(inbox.details.getByTestId("reply-window")).toContainText("Open");

    // Reading survives a reload: it was stored, not just hidden.
    await page.reload();
    await expect(inbox.thread).toBeVisible();
    await expect(inbox.row(conversation.messenger)).toBeVisible();
    await expect(inbox.unreadBadge(conversation.messenger)).toHaveCount(0);

    const reply = `Yes, oat and almond! ${token()}\nSee you soon.`;
    await inbox.reply(reply);
    const bubble = inbox.message("Yes, oat and almond!");
    await expect(bubble).toHaveCount(1);
    await expect(bubble).toContainText("See you soon.");
    await expect(inbox.composer).toHaveValue("");

    await expect
      .poll(async () =>
        (await sandboxSent("messenger")).some((call) => JSON.stringify(call.request).includes("Yes, oat and almond!")),
      )
      .toBe(true);
    // pending → sent → delivered → read, as the sandbox's status webhooks arrive.
    await expect(bubble).toHaveAttribute("data-status", /^(sent|delivered|read)$/);
    await expect(bubble).toHaveAttribute("data-status", "read", { timeout: 15_000 });
    await expect(bubble.getByRole("img", { name: "Read" })).toBeVisible();
    await expect(inbox.row(conversation.messenger)).toContainText("You: Yes, oat and almond!");
  });

  test("search finds a message and opens its conversation at it", async () => {
    const word = `cortado${token()}`;
    await customerSends({ platform: "instagram", customer: customers.instagram, text: `One ${word} to take away, please` });
    await inbox.open();
    await expect(inbox.row(conversation.instagram)).toContainText(word);

    await page.keyboard.press("/");
    await expect(inbox.search).toBeFocused();
    await page.keyboard.type(word);
    await expect(page).toHaveURL(new RegExp(`q=${word}`));
    await expect(inbox.messageHit(word)).toBeVisible();
    await expect(page.getByTestId("conversation-row")).toHaveCount(1);

    await inbox.messageHit(word).click();
    await expect(page).toHaveURL(new RegExp(`c=${conversation.instagram.id}`));
    await expect(inbox.message(word)).toBeInViewport();

    await inbox.search.fill("");
    await expect(page).not.toHaveURL(/q=/);
  });

  test("with the inbox open, a customer's message appears within a second and status updates change the ticks live", async () => {
    await inbox.open();
    await inbox.openConversation(conversation.whatsapp);
    const text = `Are you open on Sunday? ${token()}`;

    const sentAt = Date.now();
    await customerSends({ platform: "whatsapp", customer: customers.whatsapp, text });
    await expect(inbox.message(text)).toBeVisible({ timeout: 1_000 });
    expect(Date.now() - sentAt).toBeLessThan(1_500);
    await expect(page.getByTestId("inbox-announcer")).toContainText(text);
    // Open and visible: read at once, no badge.
    await expect(inbox.unreadBadge(conversation.whatsapp)).toHaveCount(0);

    await inbox.reply(`Yes, 9 to 2 ${token()}`);
    const bubble = inbox.thread.getByTestId("message").last();
    await expect(bubble.getByRole("img", { name: "Delivered" })).toBeVisible({ timeout: 5_000 });
    await expect(bubble.getByRole("img", { name: "Read" })).toBeVisible({ timeout: 10_000 });
  });

  test("keyboard: j and k move between conversations, e archives and unarchives, Esc leaves the thread", async () => {
    await inbox.open();
    const rows = page.getByTestId("conversation-row");
    const first = (await rows.nth(0).getAttribute("data-conversation-id")) ?? "";
    const second = (await rows.nth(1).getAttribute("data-conversation-id")) ?? "";

    await page.keyboard.press("j");
    await expect(page).toHaveURL(new RegExp(`c=${first}`));
    await page.keyboard.press("j");
    await expect(page).toHaveURL(new RegExp(`c=${second}`));
    await page.keyboard.press("k");
    await expect(page).toHaveURL(new RegExp(`c=${first}`));
    const row = inbox.row({ id: first });

    await page.keyboard.press("e");
    await expect(row).toHaveCount(0);
    await page.getByRole("button", { name: "Archived", exact: true }).click();
    await expect(row).toBeVisible();
    await page.keyboard.press("e");
    await expect(row).toHaveCount(0);
    await page.getByRole("button", { name: "Archived", exact: true }).click();
    await expect(row).toBeVisible();

    await page.keyboard.press("Escape");
    await expect(page).not.toHaveURL(/c=/);
    await expect(page.getByTestId("no-conversation")).toBeVisible();
  });

  test("outside the 24-hour window replies are closed with the reason, and WhatsApp offers its templates", async () => {
    // The sandbox cannot backdate a customer's message: move the last one back two days in the database.
    await withDatabase((client) =>
      client.query(`update conversations set last_incoming_at = now() - interval '2 days' where id = any($1::uuid[])`, [
        [conversation.messenger.id, conversation.whatsapp.id],
      ]),
    );

    await inbox.open(`/inbox?c=${conversation.messenger.id}`);
    await expect(page.getByTestId("window-closed")).toContainText("Messenger allows replies only within 24 hours");
    await expect(inbox.composer).toBeDisabled();
    await expect(page.getByRole("button", { name: "Send a template" })).toHaveCount(0);
    await expect(inbox.details.getByTestId("reply-window")).toContainText("Closed");

    await inbox.openConversation(conversation.whatsapp);
    await expect(page.getByTestId("window-closed")).toContainText("template");
    await expect(inbox.composer).toBeDisabled();
    await page.getByRole("button", { name: "Send a template" }).click();
    const dialog = page.getByRole("dialog", { name: "Send a WhatsApp template" });
    await dialog.getByRole("radio", { name: /order_ready/ }).check();
    await dialog.getByRole("textbox", { name: "Value for {{1}}" }).fill("Priya");
    await dialog.getByRole("textbox", { name: "Value for {{2}}" }).fill("A-1042");
    await expect(dialog.getByTestId("template-preview")).toContainText("Hi Priya, your order A-1042 is ready");
    await dialog.getByRole("button", { name: "Send template" }).click();
    await expect(dialog).toBeHidden();

    await expect(inbox.thread.getByTestId("message-template").last()).toContainText("order_ready");
    await expect
      .poll(async () => {
        const calls = await sandboxSent("whatsapp");
        return calls.some((call) => {
          const body = JSON.stringify(call.request);
          return body.includes('"name":"order_ready"') && body.includes('"text":"A-1042"');
        });
      })
      .toBe(true);
  });
});
