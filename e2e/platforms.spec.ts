import { expect, test } from "@playwright/test";
import { AuthPages } from "./pages/auth";
import { PlatformsPage } from "./pages/platforms";
import { sandboxState } from "./support/sandbox";
import { newUser } from "./support/users";

const WABA_ID = "102200000000001";
const PHONE_NUMBER_ID = "109100000000001";

// Hand the sandbox's accounts back, so the inbox spec can connect them after this one.
test.afterEach(async ({ page }) => {
  const response = await page.request.get("/api/platforms");
  if (!response.ok()) return;
  const { platforms } = (await response.json()) as { platforms: { id: string }[] };
  for (const platform of platforms) await page.request.delete(`/api/platforms/${platform.id}`);
});

// One page, one Instagram account and one number in the sandbox: they can be live in one
// workspace at a time, so this is the only test that connects them.
test("an admin connects Messenger and Instagram through Meta's dialog and WhatsApp by token, and sees all three active", async ({
  page,
}) => {
  await new AuthPages(page).signUp(newUser());
  const platforms = new PlatformsPage(page);
  await platforms.open();
  await expect(page.getByText("Nothing is connected yet.")).toBeVisible();

  await platforms.connectThroughMeta("Messenger");
  await expect(platforms.card("messenger")).toContainText("Acme Coffee");

  await platforms.connectThroughMeta("Instagram");
  await expect(platforms.card("instagram")).toContainText("@acme.coffee");

  await platforms.connectWhatsApp({
    phoneNumberId: PHONE_NUMBER_ID,
    businessAccountId: WABA_ID,
    accessToken: "EAAGnot-a-real-token-at-all",
  });
  await expect(page.getByRole("alert").filter({ hasText: "Meta refused these WhatsApp credentials" })).toBeVisible();

  const { tokens } = await sandboxState();
  await page.getByLabel("Access token").fill(tokens.whatsapp[WABA_ID] ?? "");
  await page.getByRole("form", { name: "Connect WhatsApp" }).getByRole("button", { name: "Connect WhatsApp" }).click();
  await expect(platforms.card("whatsapp")).toContainText("+1 555-010-0001");

  for (const platform of ["messenger", "instagram", "whatsapp"] as const) {
    await expect(platforms.card(platform)).toContainText("Active");
  }
});

test("field errors of the WhatsApp form say what is wrong with each field", async ({ page }) => {
  await new AuthPages(page).signUp(newUser());
  const platforms = new PlatformsPage(page);
  await platforms.open();
  await platforms.connectWhatsApp({ phoneNumberId: "+1 555 0100", businessAccountId: "", accessToken: "short" });
  await expect(page.getByText("The phone number id is the numeric id shown in WhatsApp Manager")).toBeVisible();
  await expect(page.getByText("The WhatsApp Business Account id is numeric.")).toBeVisible();
  await expect(page.getByText("Paste the access token of your WhatsApp system user.")).toBeVisible();
});
