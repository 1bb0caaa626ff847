import { describe, expect, it } from "vitest";
import { classifyGraphError } from "@/lib/platforms/meta/graph";

describe("classifyGraphError", () => {
  it("sorts Meta's error codes into what the app does about them", () => {
    expect(classifyGraphError(400, 190, 463)).toBe("token");
    expect(classifyGraphError(400, 4, null)).toBe("rate_limit");
    expect(classifyGraphError(400, 32, null)).toBe("rate_limit");
    expect(classifyGraphError(400, 613, null)).toBe("rate_limit");
    expect(classifyGraphError(429, 130429, null)).toBe("rate_limit");
    expect(classifyGraphError(400, 10, 2018278)).toBe("window");
    expect(classifyGraphError(400, 131047, null)).toBe("window");
    expect(classifyGraphError(400, 10, null)).toBe("permission");
    expect(classifyGraphError(503, null, null)).toBe("unavailable");
    expect(classifyGraphError(0, null, null)).toBe("unavailable");
    expect(classifyGraphError(400, 100, null)).toBe("rejected");
    expect(classifyGraphError(400, 131026, null)).toBe("rejected");
  });
});
