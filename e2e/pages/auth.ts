import { expect, type Page } from "@playwright/test";
import type { TestUser } from "../support/users";

export class AuthPages {
  constructor(private readonly page: Page) {}

  async register(user: TestUser) {
    await this.page.goto("/register");
    await this.page.getByLabel("Your name").fill(user.name);
    await this.page.getByLabel("Work email").fill(user.email);
    await this.page.getByLabel("Password").fill(user.password);
    await this.page.getByRole("button", { name: "Create account" }).click();
  }

  /** Registers and waits until the new user is in the app. */
  async signUp(user: TestUser) {
    await this.register(user);
    await expect(this.page).toHaveURL(/\/inbox$/);
  }

  async signIn(user: Pick<TestUser, "email" | "password">) {
    await this.page.getByLabel("Email").fill(user.email);
    await this.page.getByLabel("Password").fill(user.password);
    await this.page.getByRole("button", { name: "Sign in", exact: true }).click();
  }

  async signOut() {
    await this.page.getByRole("button", { name: "Account menu" }).first().click();
    await this.page.getByRole("menuitem", { name: "Sign out" }).click();
    await expect(this.page).toHaveURL(/\/login/);
  }
}
