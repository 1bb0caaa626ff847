import { expect, test } from "@playwright/test";
import { AuthPages } from "./pages/auth";
import { connectOwnPage, deliverMessengerText, WebhooksPage } from "./pages/webhooks";
import { newUser } from "./support/users";

test("a new user finds Settings → Webhooks empty, with what will appear there, and filters that keep it so", async ({ page }) => {
  await new AuthPages(page).signUp(newUser());
  const webhooks = new WebhooksPage(page);
  await webhooks.open();

  await expect(page.getByRole("heading", { name: "No webhook deliveries yet" })).toBeVisible();
  await expect(page.getByText(/When Meta delivers messages, statuses, reactions and other events/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Connect a platform" })).toHaveAttribute("href", "/settings/platforms");

  await webhooks.statusFilter.selectOption({ label: "Failed" });
  await expect(page).toHaveURL(/\/settings\/webhooks\?status=failed$/);
  await expect(page.getByRole("heading", { name: "No events match these filters" })).toBeVisible();
  await webhooks.platformFilter.selectOption({ label: "WhatsApp" });
  await expect(page).toHaveURL(/status=failed&platform=whatsapp$/);
  await expect(webhooks.statusFilter).toHaveValue("failed");

  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/settings\/webhooks$/);
  await expect(page.getByRole("heading", { name: "No webhook deliveries yet" })).toBeVisible();
  await expect(webhooks.statusFilter).toHaveValue("");
});

test("an owner sees a delivery for their page, reads its raw body as text, and reprocesses it", async ({ page }) => {
  const user = newUser();
  await new AuthPages(page).signUp(user);
  const pageId = await connectOwnPage(user.email);
  await deliverMessengerText(page.request, pageId, "Table for 2? <b>bold</b> <img src=x onerror=alert(1)> 👋");

  const webhooks = new WebhooksPage(page);
  await webhooks.open();
  // Processing follows Meta's 200; the list shows the event once it is routed to this workspace.
  await expect(async () => {
    await page.reload();
    await expect(webhooks.events()).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  const event = webhooks.events().first();
  await expect(event).toContainText("1 message");
  await expect(event).toContainText("Processed");
  await expect(event).toContainText("1 attempt");
  await expect(event.getByRole("img", { name: "Messenger" })).toBeVisible();

  await webhooks.platformFilter.selectOption({ label: "Instagram" });
  await expect(page.getByRole("heading", { name: "No events match these filters" })).toBeVisible();
  await webhooks.platformFilter.selectOption({ label: "Messenger" });
  await expect(webhooks.events()).toHaveCount(1);

  const dialog = await webhooks.viewPayload();
  const payload = dialog.getByTestId("webhook-payload");
  // Indented, escapes decoded, and the customer's markup shown as characters, never rendered.
  await expect(payload).toContainText('"object": "page"');
  await expect(payload).toContainText('"text": "Table for 2? <b>bold</b> <img src=x onerror=alert(1)> 👋"');
  await expect(payload.locator("b, img")).toHaveCount(0);
  await dialog.getByRole("button", { name: "Show raw" }).click();
  await expect(payload).toContainText("\\ud83d\\udc4b");
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();

  await event.getByRole("button", { name: /^Reprocess/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "Reprocessed: processed (1 message)." })).toBeVisible();
  await expect(event).toContainText("2 attempts");
});

test("the Webhooks page fits a phone screen", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const user = newUser();
  await new AuthPages(page).signUp(user);
  const pageId = await connectOwnPage(user.email);
  await deliverMessengerText(page.request, pageId, "Hello from a phone-sized test");
  await page.goto("/settings/webhooks");
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("webhook-event")).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByRole("button", { name: /^Reprocess/ })).toBeInViewport();
  const overflow = await page.evaluate(() => {
    const main = document.querySelector("main");
    return Math.max(document.documentElement.scrollWidth - window.innerWidth, main ? main.scrollWidth - main.clientWidth : 0);
  });
  expect(overflow).toBeLessThanOrEqual(0);
  const dialog = await new WebhooksPage(page).viewPayload();
  await expect(dialog.getByRole("button", { name: "Close" })).toBeInViewport();
});
