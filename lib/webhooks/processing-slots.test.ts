import { describe, expect, it } from "vitest";
import { createSlots } from "./processing-slots";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe("processing slots", () => {
  it("runs at most the limit at once and starts waiting tasks in arrival order as slots free up", async () => {
    const slots = createSlots(2, 10);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((gate, index) =>
      slots.run(async () => {
        started.push(index);
        await gate.promise;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(slots.waiting).toBe(2);

    gates[1]?.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(started).toEqual([0, 1, 2]);
    expect(slots.running).toBe(2);

    for (const gate of gates) gate.resolve();
    expect(await Promise.all(runs)).toEqual([true, true, true, true]);
    expect(slots.running).toBe(0);
    expect(slots.waiting).toBe(0);
  });

  it("refuses a task when the waiting line is full, and frees the slot of a task that throws", async () => {
    const slots = createSlots(1, 1);
    const gate = deferred();
    const first = slots.run(() => gate.promise);
    const second = slots.run(async () => {
      throw new Error("boom");
    });
    let thirdRan = false;
    expect(
      await slots.run(async () => {
        thirdRan = true;
      }),
    ).toBe(false);
    expect(thirdRan).toBe(false);

    gate.resolve();
    await first;
    await expect(second).rejects.toThrow("boom");
    expect(slots.running).toBe(0);
    expect(await slots.run(async () => undefined)).toBe(true);
  });
});
