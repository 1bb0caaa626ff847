import { chromium, type BrowserContext } from "@playwright/test";
import type { BenchConfig } from "./config";
import { summarize, type Summary } from "./stats";
import { CHROMIUM_ARGS, chromiumExecutablePath } from "../../e2e/support/chromium";

// Scenario 5: page loads in Chromium against the production build, signed in as the bench user:
// TTFB from the Navigation Timing entry, LCP from the last `largest-contentful-paint` candidate once
// the page has loaded. One unmeasured load per page first (a returning user has the static assets
// cached), then `loads` measured ones, each in a new tab.

export interface PageResult {
  ttfbMs: Summary;
  lcpMs: Summary;
}

export type PagesResult = Record<"inbox" | "dashboard", PageResult>;

// A string, not a function: the bench runs under tsx, whose transform adds helpers (__name) that do
// not exist in the page. Late LCP candidates (data rendered after load) still count: it waits until
// none came for 500 ms (at most 3 s after load).
const MEASURE_SCRIPT = `new Promise((resolve) => {
  let lcp = 0;
  let quietTimer;
  const finish = () => {
    observer.disconnect();
    clearTimeout(cap);
    const navigation = performance.getEntriesByType("navigation")[0];
    resolve({ ttfb: navigation ? navigation.responseStart : NaN, lcp });
  };
  const quiet = () => {
    clearTimeout(quietTimer);
    quietTimer = setTimeout(finish, 500);
  };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) lcp = Math.max(lcp, entry.startTime);
    quiet();
  });
  observer.observe({ type: "largest-contentful-paint", buffered: true });
  const cap = setTimeout(finish, 3000);
  quiet();
})`;

async function signIn(context: BrowserContext, appUrl: string, user: { email: string; password: string }) {
  const page = await context.newPage();
  await page.goto(new URL("/login", appUrl).toString());
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/\/inbox/, { timeout: 30_000 });
  await page.close();
}

async function loadOnce(context: BrowserContext, url: string): Promise<{ ttfb: number; lcp: number }> {
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: "load", timeout: 30_000 });
    if (new URL(page.url()).pathname !== new URL(url).pathname) throw new Error(`${url} ended at ${page.url()}`);
    return (await page.evaluate(MEASURE_SCRIPT)) as { ttfb: number; lcp: number };
  } finally {
    await page.close();
  }
}

export async function benchPages(options: {
  appUrl: string;
  user: { email: string; password: string };
  config: BenchConfig;
}): Promise<PagesResult> {
  const browser = await chromium.launch({ executablePath: chromiumExecutablePath, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await signIn(context, options.appUrl, options.user);
    const result = {} as PagesResult;
    for (const name of ["inbox", "dashboard"] as const) {
      const url = new URL(`/${name}`, options.appUrl).toString();
      await loadOnce(context, url);
      const ttfb: number[] = [];
      const lcp: number[] = [];
      for (let i = 0; i < options.config.pages.loads; i++) {
        const load = await loadOnce(context, url);
        ttfb.push(load.ttfb);
        lcp.push(load.lcp);
      }
      result[name] = { ttfbMs: summarize(ttfb), lcpMs: summarize(lcp) };
    }
    return result;
  } finally {
    await browser.close();
  }
}
