import { expect, type Page } from "@playwright/test";

export class PlatformsPage {
  constructor(private readonly page: Page) {}

  async open() {
    await this.page.goto("/settings/platforms");
    await expect(this.page.getByRole("heading", { name: "Connected accounts" })).toBeVisible();
  }

  /** Clicks Connect, consents in the sandbox's Meta dialog, and lands back on the platforms page. */
  async connectThroughMeta(platform: "Messenger" | "Instagram") {
    await this.page.getByRole("button", { name: `Connect ${platform}` }).click();
    await expect(this.page.getByRole("heading", { name: /is requesting access/ })).toBeVisible();
    await this.page.getByRole("button", { name: /^Continue as/ }).click();
    await expect(this.page).toHaveURL(/\/settings\/platforms\?connected=1/);
  }

  async connectWhatsApp(values: { phoneNumberId: string; businessAccountId: string; accessToken: string }) {
    await this.page.getByRole("button", { name: "Add a WhatsApp number" }).click();
    const form = this.page.getByRole("form", { name: "Connect WhatsApp" });
    await form.getByLabel("Phone number ID").fill(values.phoneNumberId);
    await form.getByLabel("WhatsApp Business Account ID").fill(values.businessAccountId);
    await form.getByLabel("Access token").fill(values.accessToken);
    await form.getByRole("button", { name: "Connect WhatsApp" }).click();
  }

  card(platform: "messenger" | "instagram" | "whatsapp") {
    return this.page.getByTestId(`platform-card-${platform}`);
  }
}
