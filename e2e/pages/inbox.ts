import { expect, type Locator, type Page } from "@playwright/test";

export class InboxPage {
  constructor(private readonly page: Page) {}

  /** Opens the inbox and waits until it is interactive (hydrated: keyboard shortcuts and live updates work). */
  async open(path = "/inbox") {
    await this.page.goto(path);
    await expect(this.page.getByRole("heading", { name: "Inbox", level: 1 })).toBeVisible();
    await expect(this.page.getByTestId("inbox")).toHaveAttribute("data-hydrated", "true");
  }

  get conversations(): Locator {
    return this.page.getByRole("list", { name: "Conversations" });
  }

  /** A conversation row, by text it shows (name, preview) or by the conversation's id. */
  row(match: string | { id: string }): Locator {
    const rows = this.page.getByTestId("conversation-row");
    return typeof match === "string"
      ? rows.filter({ hasText: match })
      : this.page.locator(`[data-conversation-id="${match.id}"]`);
  }

  unreadBadge(match: string | { id: string }): Locator {
    return this.row(match).getByTestId("unread-badge");
  }

  platformButton(label: "All" | "Instagram" | "Messenger" | "WhatsApp"): Locator {
    return this.page.getByRole("group", { name: "Platform" }).getByRole("button", { name: new RegExp(`^${label}\\b`) });
  }

  async openConversation(match: string | { id: string }) {
    const row = this.row(match);
    const id = await row.getAttribute("data-conversation-id");
    await row.click();
    await expect(this.page).toHaveURL(new RegExp(`[?&]c=${id}`));
    await expect(this.thread).toBeVisible();
  }

  get thread(): Locator {
    return this.page.getByTestId("thread");
  }

  get threadTitle(): Locator {
    return this.thread.getByTestId("thread-title");
  }

  /** A message bubble of the open thread, found by its text. */
  message(text: string): Locator {
    return this.thread.getByTestId("message").filter({ hasText: text });
  }

  get composer(): Locator {
    return this.page.getByRole("textbox", { name: "Message", exact: true });
  }

  async reply(text: string) {
    await this.composer.fill(text);
    await this.composer.press("Enter");
  }

  get search(): Locator {
    return this.page.getByRole("searchbox", { name: "Search conversations and messages" });
  }

  messageHit(text: string): Locator {
    return this.page.getByTestId("message-hit").filter({ hasText: text });
  }

  get details(): Locator {
    return this.page.getByTestId("details-pane");
  }
}
