import { describe, expect, it } from "vitest";
import { previewOf } from "./preview";

const message = (patch: Partial<Parameters<typeof previewOf>[0]>) => ({
  type: "text",
  text: null,
  attachments: [],
  deletedAt: null,
  ...patch,
});

describe("previewOf", () => {
  it("folds whitespace and cuts long text at 140 code points without splitting an emoji", () => {
    expect(previewOf(message({ text: "  Hello\n\nthere  " }))).toBe("Hello there");
    const preview = previewOf(message({ text: `${"a".repeat(138)}😀😀😀` }));
    expect(Array.from(preview)).toHaveLength(140);
    expect(preview.endsWith("😀…")).toBe(true);
  });

  it("names what a message without text is, and says when it was deleted", () => {
    expect(previewOf(message({ type: "image", attachments: [{}] }))).toBe("[Photo]");
    expect(previewOf(message({ type: "reaction_only", attachments: [{}] }))).toBe("[Attachment]");
    expect(previewOf(message({ type: "reaction_only" }))).toBe("[Message]");
    expect(previewOf(message({ text: "secret", deletedAt: "2026-01-01T00:00:00Z" }))).toBe("Message deleted");
  });
});
