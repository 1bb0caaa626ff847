import { FailureInjector } from "./failures";
import type { Fixture } from "./fixture";
import type { SandboxState } from "./state";
import { appAccessToken, pageToken, systemUserToken } from "./tokens";
import type { WebhookDispatcher } from "./webhooks";

// Everything a route or simulator needs, passed explicitly (no module-level singletons), so several
// sandboxes can run side by side in one test process.

export interface StatusDelays {
  /** Messenger/Instagram echo of the app's own send. */
  echo: number;
  /** WhatsApp "sent" status. */
  sent: number;
  delivered: number;
  read: number;
}

export interface ResolvedOptions {
  appId: string;
  appSecret: string;
  instagramAppSecret: string;
  verifyToken: string;
  webhookBaseUrl: string;
  statusDelaysMs: StatusDelays;
  /** Customers read the business's replies by themselves after `statusDelaysMs.read`. */
  autoRead: boolean;
  /** Only deliver webhooks for accounts the app subscribed (POST /{id}/subscribed_apps). */
  requireSubscription: boolean;
  log: (line: string) => void;
  now: () => Date;
}

export class SandboxContext {
  readonly failures = new FailureInjector();
  private readonly timers = new Set<NodeJS.Timeout>();
  private pending = 0;
  private waiters: (() => void)[] = [];
  private closed = false;
  publicUrl = "";

  constructor(
    readonly options: ResolvedOptions,
    readonly fixture: Fixture,
    readonly state: SandboxState,
    readonly dispatcher: WebhookDispatcher,
  ) {}

  nowMs(): number {
    return this.options.now().getTime();
  }

  /** Runs `task` later; tracked so tests can wait for quiet and close() cancels it. */
  schedule(delayMs: number, task: () => void): void {
    if (this.closed) return;
    this.pending++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        if (!this.closed) task();
      } catch (error) {
        this.options.log(`sandbox: scheduled task failed: ${(error as Error).message}`);
      } finally {
        this.pending--;
        this.settle();
      }
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Resolves when no simulated event is pending and every webhook was delivered or gave up. */
  async idle(): Promise<void> {
    for (;;) {
      if (this.pending > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
      await this.dispatcher.idle();
      if (this.pending === 0) return;
    }
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.pending = 0;
    this.settle();
  }

  private settle(): void {
    if (this.pending > 0) return;
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  pageToken(pageId: string): string {
    return pageToken(this.options.appSecret, this.options.appId, pageId);
  }

  systemUserToken(wabaId: string): string {
    const waba = this.fixture.whatsapp.find((candidate) => candidate.id === wabaId);
    return waba?.accessToken ?? systemUserToken(this.options.appSecret, this.options.appId, wabaId);
  }

  appToken(): string {
    return appAccessToken(this.options.appSecret, this.options.appId);
  }

  /** Whether webhooks for this account should be sent at all. */
  subscribed(accountId: string): boolean {
    if (!this.options.requireSubscription) return true;
    const account = this.state.accounts.get(accountId);
    const owner = account?.platform === "whatsapp" ? account.wabaId : account?.pageId;
    return this.state.subscriptions.has(accountId) || (owner ? this.state.subscriptions.has(owner) : false);
  }
}
