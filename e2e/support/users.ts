import { randomBytes } from "node:crypto";

export interface TestUser {
  name: string;
  email: string;
  password: string;
}

/** A brand-new identity per test, so tests never share state. */
export function newUser(): TestUser {
  const id = randomBytes(5).toString("hex");
  return { name: `Agent ${id}`, email: `agent-${id}@example.com`, password: `pw-${id}-long-enough` };
}
