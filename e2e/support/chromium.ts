import { existsSync } from "node:fs";

// Debian's Chromium (Playwright's own download cannot run here), with the flags that keep it quiet
// and offline: shared by the browser tests and the bench's page-load scenario.

export const chromiumExecutablePath: string | undefined =
  process.env.CHROMIUM_PATH || (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
