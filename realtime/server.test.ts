import { describe, expect, it } from "vitest";
import { allowedOriginsFor } from "./server";

describe("allowed socket origins", () => {
  it("are the app's origin only for a public URL", () => {
    expect([...allowedOriginsFor("https://inbox.example.com/some/path")]).toEqual(["https://inbox.example.com"]);
  });

  it("include the loopback aliases of a local app URL", () => {
    expect(allowedOriginsFor("http://localhost:3000")).toEqual(
      new Set(["http://localhost:3000", "http://127.0.0.1:3000", "http://[::1]:3000"]),
    );
  });

  it("add configured extra origins", () => {
    expect(allowedOriginsFor("https://a.example.com", ["https://b.example.com/"]).has("https://b.example.com")).toBe(true);
  });
});
