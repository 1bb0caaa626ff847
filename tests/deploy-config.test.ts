import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { envVariableNames } from "@/lib/env";

// No Docker engine runs in CI, so the deployables are checked by reading them.

const root = path.resolve(import.meta.dirname, "..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

interface ComposeService {
  image?: string;
  build?: { context: string; target?: string };
  environment?: Record<string, string>;
  healthcheck?: { test: string[] | string };
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(read("docker-compose.yml"), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const documented = new Set(
  read(".env.example")
    .split("\n")
    .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
    .filter((name): name is string => Boolean(name)),
);
// Variables the platform (Node, Next's standalone server) reads rather than Chats.
const platformVariables = new Set(["HOSTNAME"]);

describe("docker-compose.yml", () => {
  it("runs the app, the realtime sidecar, PostgreSQL and a self-hosted Inngest, each with a healthcheck", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["app", "inngest", "postgres", "realtime"]);
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.healthcheck, `${name} has a healthcheck`).toBeDefined();
    }
    expect(compose.services.inngest?.environment?.INNGEST_SIGNING_KEY).toBeDefined();
    expect(compose.services.app?.depends_on?.postgres?.condition).toBe("service_healthy");
  });

  it("keeps database and media on named volumes", () => {
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(["postgres-data", "media"]));
    expect(compose.services.postgres?.volumes?.some((volume) => volume.startsWith("postgres-data:"))).toBe(true);
    expect(compose.services.app?.volumes?.some((volume) => volume.startsWith("media:"))).toBe(true);
  });

  it("gives the app only variables that lib/env.ts reads, pointing Inngest at the compose server", () => {
    const appEnv = compose.services.app?.environment ?? {};
    for (const name of Object.keys(appEnv)) {
      expect(envVariableNames.includes(name as never) || platformVariables.has(name), `${name} is read by lib/env.ts`).toBe(true);
    }
    expect(appEnv.INNGEST_BASE_URL).toBe("http://inngest:8288");
    expect(appEnv.REALTIME_INTERNAL_URL).toBe("http://realtime:3001");
    expect(appEnv.DATABASE_URL).toContain("@postgres:5432/");
  });

  it("only interpolates variables that .env.example documents", () => {
    const interpolated = [...read("docker-compose.yml").matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((match) => match[1] ?? "");
    for (const name of new Set(interpolated)) expect(documented.has(name), `${name} is in .env.example`).toBe(true);
  });

  it("builds the app and the sidecar from the Dockerfile's stages as a non-root user", () => {
    const dockerfile = read("Dockerfile");
    expect(compose.services.app?.build?.target).toBe("app");
    expect(compose.services.realtime?.build?.target).toBe("realtime");
    expect(dockerfile).toMatch(/^FROM .* AS app$/m);
    expect(dockerfile).toMatch(/^FROM .* AS realtime$/m);
    expect(dockerfile).toContain("realtime/main.ts");
    expect(dockerfile).toContain("NEXT_OUTPUT=standalone");
    expect(dockerfile).toMatch(/^USER (?!root)\w+$/m);
  });
});

describe(".env.example", () => {
  it("documents every variable lib/env.ts reads", () => {
    const missing = envVariableNames.filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });
});
