import { createHmac, randomInt } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { withDatabase } from "../support/database";

// Settings → Webhooks, and what a test needs to make Meta deliver to a page of its own: the sandbox's
// page, Instagram account and number can be live in one workspace per run (other specs connect them),
// so these tests connect a page id nobody else uses and sign deliveries for it with the app secret.

export class WebhooksPage {
  constructor(private readonly page: Page) {}

  async open() {
    await this.page.goto("/settings");
    await this.page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Webhooks" }).click();
    await expect(this.page).toHaveURL(/\/settings\/webhooks$/);
    await expect(this.page.getByRole("heading", { name: "Webhook deliveries", exact: true })).toBeVisible();
  }

  get statusFilter() {
    return this.page.getByRole("search", { name: "Filter webhook events" }).getByLabel("Status");
  }

  get platformFilter() {
    return this.page.getByRole("search", { name: "Filter webhook events" }).getByLabel("Platform");
  }

  events() {
    return this.page.getByTestId("webhook-event");
  }

  async viewPayload(index = 0) {
    await this.events()
      .nth(index)
      .getByRole("button", { name: /^View payload/ })
      .click();
    const dialog = this.page.getByRole("dialog");
    await expect(dialog.getByTestId("webhook-payload")).toBeVisible();
    return dialog;
  }
}

/** The e2e server's Meta app secret, generated into its data directory on first start. */
function appSecret(): string {
  const secrets = JSON.parse(fs.readFileSync(path.resolve(".data/e2e/secrets.json"), "utf8")) as { META_APP_SECRET?: string };
  if (!secrets.META_APP_SECRET) throw new Error(".data/e2e/secrets.json has no META_APP_SECRET; start the e2e server first");
  return secrets.META_APP_SECRET;
}

/** Meta's serialization: non-ASCII as \uXXXX escapes and "/" as "\/"; the signature covers these bytes. */
function metaSerialize(payload: unknown): string {
  return JSON.stringify(payload)
    .replace(/\//g, "\\/")
    .replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Connects a Messenger page with a fresh id to the user's first workspace, as the connect flow would. */
export async function connectOwnPage(email: string): Promise<string> {
  const pageId = `1069${String(randomInt(1e9)).padStart(9, "0")}${randomInt(10, 99)}`;
  await withDatabase(async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `select m.workspace_id as id from memberships m join users u on u.id = m.user_id
       where lower(u.email) = lower($1) order by m.created_at limit 1`,
      [email],
    );
    const workspaceId = rows[0]?.id;
    if (!workspaceId) throw new Error(`no workspace for ${email}`);
    await client.query(
      `insert into platform_accounts (workspace_id, platform, external_id, name) values ($1, 'messenger', $2, $3)`,
      [workspaceId, pageId, "E2E Bistro"],
    );
  });
  return pageId;
}

/** POSTs a customer's text message to the page, signed like Meta; resolves once the app answered. */
export async function deliverMessengerText(request: APIRequestContext, pageId: string, text: string): Promise<string> {
  const now = Date.now();
  const body = metaSerialize({
    object: "page",
    entry: [
      {
        id: pageId,
        time: now,
        messaging: [
          {
            sender: { id: `7009${randomInt(1e9)}` },
            recipient: { id: pageId },
            timestamp: now,
            message: { mid: `m_e2e-${now}-${randomInt(1e6)}`, text },
          },
        ],
      },
    ],
  });
  const response = await request.post("/api/webhooks/messenger", {
    data: body,
    headers: {
      "content-type": "application/json",
      "x-hub-signature-256": `sha256=${createHmac("sha256", appSecret()).update(body).digest("hex")}`,
    },
  });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { id: string }).id;
}
