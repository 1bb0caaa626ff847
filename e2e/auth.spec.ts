import { expect, test } from "@playwright/test";
import { AuthPages } from "./pages/auth";
import { newUser } from "./support/users";

test("a new agent registers, lands in the empty inbox, signs out and signs back in", async ({ page }) => {
  const auth = new AuthPages(page);
  const user = newUser();

  await auth.register(user);
  await expect(page).toHaveURL(/\/inbox$/);
  await expect(page.getByRole("heading", { name: "Your inbox is empty" })).toBeVisible();
  await expect(page.getByTestId("workspace-name")).toHaveText(`${user.name}'s workspace`);

  await auth.signOut();
  await page.goto("/login");
  await auth.signIn(user);
  await expect(page).toHaveURL(/\/inbox$/);
});

test("a signed-out visit to an app page goes to sign-in and comes back after it", async ({ page }) => {
  const auth = new AuthPages(page);
  const user = newUser();
  await auth.register(user);
  await auth.signOut();

  await page.goto("/settings?tab=account");
  await expect(page).toHaveURL(/\/login\?next=%2Fsettings%3Ftab%3Daccount$/);
  await auth.signIn(user);
  await expect(page).toHaveURL(/\/settings\?tab=account$/);
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
});

test("sign-in and registration explain what is wrong, inline", async ({ page }) => {
  const auth = new AuthPages(page);
  const user = newUser();

  await page.goto("/register");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter your name.")).toBeVisible();
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  await expect(page.getByText("Use at least 8 characters.")).toBeVisible();

  await auth.register(user);
  await auth.signOut();
  await auth.register(user);
  await expect(page.getByText("An account with this email already exists.")).toBeVisible();

  await page.goto("/login");
  await auth.signIn({ email: user.email, password: "not the password" });
  await expect(page.getByRole("alert").filter({ hasText: "incorrect" })).toHaveText("The email or password is incorrect.");
  await expect(page.getByLabel("Email")).toHaveValue(user.email);
});

test("the shell stays usable at phone width", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const auth = new AuthPages(page);
  await auth.register(newUser());
  await expect(page).toHaveURL(/\/inbox$/);
  const bottomNav = page.getByRole("navigation", { name: "Main" }).last();
  await expect(bottomNav.getByRole("link", { name: "Dashboard" })).toBeVisible();
  await bottomNav.getByRole("link", { name: "Dashboard" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await auth.signOut();
});
