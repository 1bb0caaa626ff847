// The shape of a load-test data set, decided in plain code so it can be tested: how many messages
// each conversation holds, when it was active, and how much of it the business has not read yet.
// The SQL in load-seed.ts turns one plan row into that conversation's messages.

export type SeedPlatform = "messenger" | "instagram" | "whatsapp";

export interface SeedPlanOptions {
  messages: number;
  conversations: number;
  /** Days of history the messages spread over, ending now. */
  days: number;
  now: Date;
  /** Same seed, same plan: re-running the seed adds nothing twice. */
  seed?: number;
}

export interface ConversationPlan {
  /** 0-based position; the contact's external id derives from it. */
  index: number;
  platform: SeedPlatform;
  messages: number;
  /** Epoch ms of the first session's first message. */
  firstAt: number;
  /** Ms between the starts of consecutive sessions (0 with one session). */
  sessionGapMs: number;
  /** The newest this many messages are incoming and unread: the customer is waiting for an answer. */
  unreadTail: number;
}

/** Messages per session: the customer writes, the business answers, a little back and forth. */
export const SESSION_LENGTH = 6;
/** Within a session a message follows the previous one after this, plus up to 3 minutes of jitter. */
export const MESSAGE_SPACING_MS = 4 * 60_000;
/** The longest a session lasts: its last message's offset from the session start. */
export const SESSION_SPAN_MS = (SESSION_LENGTH - 1) * MESSAGE_SPACING_MS + 180_000;
/** Nobody's last message is in the future, nor in the last few minutes (the live load writes there). */
const QUIET_MS = 30 * 60_000;

/** mulberry32: a tiny deterministic PRNG, so a plan is reproducible from its seed. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** 40 % Messenger, 35 % Instagram, 25 % WhatsApp: a mix like the demo's, weighted to Meta's inboxes. */
export function platformOf(index: number): SeedPlatform {
  const slot = index % 20;
  return slot < 8 ? "messenger" : slot < 15 ? "instagram" : "whatsapp";
}

/**
 * Splits `total` into `weights.length` parts proportional to the weights, each at least `minimum`,
 * summing exactly to `total` (largest remainders get the leftover units).
 */
export function apportion(total: number, weights: number[], minimum: number): number[] {
  const count = weights.length;
  if (count === 0) return [];
  if (total < count * minimum) throw new Error(`cannot give ${count} parts at least ${minimum} each out of ${total}`);
  const spare = total - count * minimum;
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((weight) => (sum > 0 ? (spare * weight) / sum : spare / count));
  const parts = exact.map((value) => Math.floor(value));
  let left = spare - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((value, i) => ({ i, rest: value - Math.floor(value) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left === 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    left--;
  }
  return parts.map((part) => part + minimum);
}

/**
 * A plan per conversation. Sizes follow a heavy-tailed spread (most threads hold a few dozen
 * messages, a few regulars thousands); last activity leans recent, as in a live inbox; a fifth of
 * the conversations end with one to three unread customer messages.
 */
export function buildSeedPlan(options: SeedPlanOptions): ConversationPlan[] {
  const { conversations, messages, days, now } = options;
  if (!Number.isInteger(conversations) || conversations < 1) throw new Error("conversations must be a positive integer");
  if (!Number.isInteger(messages) || messages < 2 * conversations)
    throw new Error("messages must be at least 2 per conversation");
  if (!(days >= 1)) throw new Error("days must be at least 1");
  const random = prng(options.seed ?? 20_000);
  // Pareto-like weights: 1 / u^0.7 for uniform u gives a long tail without absurd outliers.
  const weights = Array.from({ length: conversations }, () => 1 / Math.pow(0.02 + random(), 0.7));
  const sizes = apportion(messages, weights, 2);
  const historyStart = now.getTime() - days * 86_400_000;
  const latest = now.getTime() - QUIET_MS - SESSION_SPAN_MS;
  return sizes.map((size, index) => {
    const sessions = Math.ceil(size / SESSION_LENGTH);
    // Squaring leans last activity towards now: many conversations are busy this week.
    const lastSessionAt = latest - (latest - historyStart) * Math.pow(random(), 2);
    // Between sessions: from six hours to ten days, but never before the history starts.
    const wanted = (6 + random() * 234) * 3_600_000;
    const room = sessions > 1 ? (lastSessionAt - historyStart) / (sessions - 1) : 0;
    const sessionGapMs = sessions > 1 ? Math.floor(Math.max(SESSION_SPAN_MS, Math.min(wanted, room))) : 0;
    const draw = random();
    const unreadTail = draw < 0.8 ? 0 : Math.min(size - 1, 1 + Math.floor((draw - 0.8) * 15));
    return {
      index,
      platform: platformOf(index),
      messages: size,
      firstAt: Math.floor(lastSessionAt - (sessions - 1) * sessionGapMs),
      sessionGapMs,
      unreadTail,
    };
  });
}
