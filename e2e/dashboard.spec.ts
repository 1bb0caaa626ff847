import fs from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { AuthPages } from "./pages/auth";
import { DashboardPage } from "./pages/dashboard";
import { seedMessages, type SeedMessage } from "./support/database";
import { newUser } from "./support/users";

const DAY = 24 * 60 * 60 * 1000;
const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/** Messages at chosen days before today (UTC, the new workspace's zone): 10 in the last 30 days, 15 in 90. */
function history(): { messages: SeedMessage[]; today: Date } {
  const today = new Date(`${isoDate(new Date())}T00:00:00Z`);
  const at = (daysAgo: number, minute: number) => new Date(today.getTime() - daysAgo * DAY + minute * 60_000);
  const messages: SeedMessage[] = [
    { platform: "instagram", direction: "incoming", sentAt: at(0, 1) },
    { platform: "instagram", direction: "incoming", sentAt: at(0, 2) },
    { platform: "instagram", direction: "outgoing", sentAt: at(0, 6) },
    { platform: "whatsapp", direction: "incoming", sentAt: at(3, 600) },
    { platform: "whatsapp", direction: "incoming", sentAt: at(3, 605) },
    { platform: "whatsapp", direction: "outgoing", sentAt: at(3, 630) },
    ...Array.from({ length: 4 }, (_, i) => ({
      platform: "messenger" as const,
      direction: "incoming" as const,
      sentAt: at(20, 700 + i),
    })),
    ...Array.from({ length: 5 }, (_, i) => ({
      platform: "instagram" as const,
      direction: "incoming" as const,
      sentAt: at(60, 800 + i),
    })),
  ];
  return { messages, today };
}

test("a new user's dashboard explains what will appear once customers write", async ({ page }) => {
  await new AuthPages(page).register(newUser());
  await expect(page).toHaveURL(/\/inbox$/);
  const dashboard = new DashboardPage(page);
  await dashboard.open();
  await expect(dashboard.emptyState).toBeVisible();
  await expect(page.getByText(/how fast your team answers/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Connect a platform" })).toBeVisible();
});

test("the dashboard follows the chosen range in the URL and downloads CSV and PDF exports", async ({ page }) => {
  const user = newUser();
  await new AuthPages(page).register(user);
  await expect(page).toHaveURL(/\/inbox$/);
  const { messages, today } = history();
  await seedMessages(user.email, messages);

  const dashboard = new DashboardPage(page);
  await dashboard.open();
  await expect(dashboard.statValue("Incoming today")).toHaveText("2");
  await expect(dashboard.statValue("Outgoing today")).toHaveText("1");
  await expect(dashboard.volumeSummary).toContainText("10 messages");
  await expect(dashboard.volumeRows).toHaveCount(30);
  await expect(page.getByTestId("platform-list")).toContainText("Messenger");

  await dashboard.chooseLastDays(7);
  await expect(page).toHaveURL(/\/dashboard\?range=7d$/);
  await expect(dashboard.volumeSummary).toContainText("6 messages");
  await expect(dashboard.volumeRows).toHaveCount(7);

  await dashboard.chooseLastDays(90);
  await expect(page).toHaveURL(/\/dashboard\?range=90d$/);
  await expect(dashboard.volumeSummary).toContainText("15 messages");
  // 90 days are shown per week by default; the toggle switches back to days.
  await expect(page.getByRole("button", { name: "Weekly" })).toHaveAttribute("aria-pressed", "true");
  await dashboard.groupBy("Daily");
  await expect(dashboard.volumeRows).toHaveCount(90);

  const sixtyDaysAgo = isoDate(new Date(today.getTime() - 60 * DAY));
  await dashboard.chooseCustomRange(sixtyDaysAgo, sixtyDaysAgo);
  await expect(page).toHaveURL(new RegExp(`from=${sixtyDaysAgo}&to=${sixtyDaysAgo}`));
  await expect(dashboard.volumeSummary).toContainText("5 messages");
  await expect(dashboard.volumeRows).toHaveCount(1);

  await dashboard.chooseLastDays(30);
  await expect(page).toHaveURL(/\/dashboard\?range=30d$/);
  await expect(dashboard.volumeSummary).toContainText("10 messages");
  const to = isoDate(today);
  const from = isoDate(new Date(today.getTime() - 29 * DAY));

  const csv = await dashboard.export("Daily CSV");
  expect(csv.suggestedFilename()).toBe(`chats-daily-${from}-to-${to}.csv`);
  const csvBytes = await fs.readFile(await csv.path());
  expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(csvBytes.subarray(3).toString("utf8")).toMatch(
    /^date,platform,incoming,outgoing,active_conversations,new_conversations,/,
  );
  expect(csvBytes.toString("utf8")).toContain(`${to},instagram,2,1,1,0,`);

  const messagesCsv = await dashboard.export("Messages CSV");
  expect(messagesCsv.suggestedFilename()).toBe(`chats-messages-${from}-to-${to}.csv`);
  const messageLines = (await fs.readFile(await messagesCsv.path(), "utf8")).trimEnd().split("\r\n");
  expect(messageLines[0]).toBe(
    "\uFEFFsent_at_utc,sent_at_local,platform,direction,type,status,sent_from,conversation_id,contact_name,contact_username,message_id,text",
  );
  expect(messageLines).toHaveLength(11);

  const pdf = await dashboard.export("PDF report");
  expect(pdf.suggestedFilename()).toBe(`chats-report-${from}-to-${to}.pdf`);
  expect((await fs.readFile(await pdf.path())).subarray(0, 5).toString()).toBe("%PDF-");
  await expect(page.getByRole("group", { name: "Export" }).getByRole("button", { name: "PDF report" })).toBeEnabled();
});

test("the dashboard fits a phone screen without sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const user = newUser();
  await new AuthPages(page).register(user);
  await expect(page).toHaveURL(/\/inbox$/);
  await seedMessages(user.email, history().messages);
  const dashboard = new DashboardPage(page);
  await dashboard.open();
  await expect(dashboard.volumeSummary).toContainText("10 messages");
  // The shell scrolls inside <main>; nothing in it may be wider than the screen (the heatmap scrolls in its own box).
  const overflow = await page.evaluate(() => {
    const main = document.querySelector("main");
    return [document.documentElement.scrollWidth - window.innerWidth, main ? main.scrollWidth - main.clientWidth : 0];
  });
  expect(overflow).toEqual([0, 0]);
  await expect(page.getByRole("group", { name: "Export" }).getByRole("button", { name: "PDF report" })).toBeVisible();
});
