import { describe, expect, it } from "vitest";
import type { ConversationPlan } from "./load-seed-plan";
import { chunkPlan, contactExternalId, contactUsername } from "./load-seed";
import { BUSINESS_TEMPLATES, CUSTOMER_TEMPLATES, SLOTS, slotsOf } from "./load-seed-text";

describe("seeded ids", () => {
  it("look like each platform's ids and stay clear of the sandbox fixture's customers", () => {
    expect(contactExternalId("messenger", 7)).toBe("24020000000000007");
    expect(contactExternalId("instagram", 7)).toMatch(/^1785\d{13}$/);
    expect(contactExternalId("whatsapp", 7)).toBe("447700000007");
    expect(contactExternalId("messenger", 7)).not.toMatch(/^2401600/);
  });

  it("give Instagram contacts a plain handle", () => {
    expect(contactUsername("instagram", 3)).toMatch(/^[a-z]+\.[a-z]+\d+$/);
    expect(contactUsername("whatsapp", 3)).toBeNull();
  });
});

describe("templates", () => {
  it("use only the slots the SQL fills", () => {
    for (const template of [...CUSTOMER_TEMPLATES, ...BUSINESS_TEMPLATES]) {
      for (const slot of slotsOf(template)) expect(SLOTS).toContain(slot);
    }
  });
});

describe("chunkPlan", () => {
  it("keeps conversations whole and every one exactly once", () => {
    const plan = [5, 30, 10, 10, 40, 1].map((messages, index) => ({ index, messages }) as ConversationPlan);
    const chunks = chunkPlan(plan, 25);
    expect(chunks.map((chunk) => chunk.map((row) => row.index))).toEqual([[0, 1], [2, 3, 4], [5]]);
  });
});
