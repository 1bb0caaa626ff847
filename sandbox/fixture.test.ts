import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FixtureError, loadFixture } from "./fixture";
import { SandboxState } from "./state";
import { testFixture } from "./test-support";

function problemsOf(input: unknown): string[] {
  try {
    loadFixture(input);
  } catch (error) {
    if (error instanceof FixtureError) return error.problems;
    throw error;
  }
  return [];
}

describe("the default fixture", () => {
  it("describes Acme Coffee on Messenger, Instagram and WhatsApp with the documented ids", () => {
    const fixture = loadFixture();
    expect(fixture.pages[0]).toMatchObject({
      id: "106100000000001",
      name: "Acme Coffee",
      instagram: { id: "17841400000000001", username: "acme.coffee" },
    });
    expect(fixture.whatsapp[0]).toMatchObject({
      id: "102200000000001",
      phoneNumbers: [{ id: "109100000000001", displayPhoneNumber: "+1 555-010-0001" }],
    });
    for (const platform of ["messenger", "instagram", "whatsapp"] as const) {
      const count = fixture.customers.filter((customer) => customer.platform === platform).length;
      expect(count).toBeGreaterThanOrEqual(8);
      expect(count).toBeLessThanOrEqual(15);
    }
  });

  it("holds a few hundred messages over 30 days, both directions, some unanswered, with RTL text and emoji", () => {
    const fixture = loadFixture();
    const messages = fixture.customers.flatMap((customer) => customer.history);
    expect(messages.length).toBeGreaterThanOrEqual(200);
    expect(Math.max(...messages.map((message) => message.minutesAgo))).toBeGreaterThan(25 * 24 * 60);
    expect(messages.some((message) => message.from === "business")).toBe(true);
    const unanswered = fixture.customers.filter((customer) => {
      const last = [...customer.history].sort((a, b) => a.minutesAgo - b.minutesAgo)[0];
      return last?.from === "customer";
    });
    expect(unanswered.length).toBeGreaterThan(0);
    const texts = messages.map((message) => message.text ?? "").join(" ");
    expect(texts).toMatch(/[\u0590-\u05ff]/);
    expect(texts).toMatch(/[\u0600-\u06ff]/);
    expect(texts).toMatch(/\p{Extended_Pictographic}/u);
  });

  it("seeds the same message ids on every start, so a re-import is idempotent", () => {
    const fixture = loadFixture();
    const ids = (offset: number) =>
      [
        ...new SandboxState(
          fixture,
          () => "http://x",
          () => new Date(Date.UTC(2025, 0, 1) + offset),
        ).messages.keys(),
      ].sort();
    expect(ids(0)).toEqual(ids(86_400_000));
  });
});

describe("fixture validation", () => {
  it("names the field of each problem", () => {
    const broken = testFixture();
    const problems = problemsOf({
      ...broken,
      pages: [...broken.pages, { id: "106100000000001", name: "Duplicate", category: "Cafe" }],
      customers: [
        { platform: "instagram", account: "1234567", id: "17849000000000999", name: "Nobody" },
        {
          platform: "messenger",
          id: "24016000000000555",
          name: "Lost",
          history: [{ minutesAgo: 1, from: "customer", attachment: { type: "location", latitude: 1, longitude: 2 } }],
        },
        { platform: "whatsapp", id: "15550100999", name: "Empty", history: [{ minutesAgo: 1, from: "customer" }] },
      ],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^pages\[1\]\.id: id 106100000000001 is already used/),
        expect.stringMatching(/^customers\[0\]\.account: no instagram account 1234567/),
        expect.stringMatching(/^customers\[1\]\.history\[0\]\.attachment\.type: location messages exist on WhatsApp only/),
        expect.stringMatching(/^customers\[2\]\.history\[0\]: a message needs text or an attachment/),
      ]),
    );
  });

  it("explains an unreadable file and bad JSON", () => {
    expect(problemsOf("/nonexistent/fixture.json")[0]).toMatch(/^cannot read the file/);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fixture-")), "bad.json");
    fs.writeFileSync(file, "{ nope");
    expect(problemsOf(file)[0]).toMatch(/^not valid JSON/);
    expect(() => loadFixture(file)).toThrow(/Invalid sandbox fixture/);
  });

  it("rejects unknown keys instead of ignoring a typo", () => {
    expect(problemsOf({ ...testFixture(), pagez: [] }).join("\n")).toMatch(/pagez/);
  });
});
