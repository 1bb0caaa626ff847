import type { Download, Locator, Page } from "@playwright/test";

export type ExportLabel = "Daily CSV" | "Messages CSV" | "PDF report";

export class DashboardPage {
  constructor(private readonly page: Page) {}

  async open(query = "") {
    await this.page.goto(`/dashboard${query ? `?${query}` : ""}`);
  }

  get emptyState(): Locator {
    return this.page.getByRole("heading", { name: "No activity yet" });
  }

  get rangeDescription(): Locator {
    return this.page.getByTestId("range-description");
  }

  get volumeSummary(): Locator {
    return this.page.getByTestId("volume-summary");
  }

  /** The visually hidden table behind the volume chart: one row per day (or week). */
  get volumeRows(): Locator {
    return this.page.getByTestId("volume-table").locator("tbody tr");
  }

  statValue(label: string): Locator {
    return this.page
      .getByTestId("stat-cards")
      .locator("div", { has: this.page.getByText(label, { exact: true }) })
      .locator("dd")
      .first();
  }

  async chooseLastDays(days: 7 | 30 | 90) {
    await this.page
      .getByRole("navigation", { name: "Date range" })
      .getByRole("link", { name: `Last ${days} days` })
      .click();
  }

  async chooseCustomRange(from: string, to: string) {
    const open = this.page.getByRole("button", { name: "Custom" });
    if ((await open.getAttribute("aria-expanded")) !== "true") await open.click();
    const form = this.page.getByRole("form", { name: "Custom date range" });
    await form.getByLabel("From").fill(from);
    await form.getByLabel("To").fill(to);
    await form.getByRole("button", { name: "Apply" }).click();
  }

  async groupBy(granularity: "Daily" | "Weekly") {
    await this.page.getByRole("group", { name: "Group by" }).getByRole("button", { name: granularity }).click();
  }

  /** Presses an export button and waits for the browser's download, checking the button is busy meanwhile. */
  async export(label: ExportLabel): Promise<Download> {
    const downloading = this.page.waitForEvent("download");
    await this.page.getByRole("group", { name: "Export" }).getByRole("button", { name: label }).click();
    return downloading;
  }
}
