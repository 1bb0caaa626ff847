import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "@/db/embedded-postgres";

const dirs: string[] = [];

async function tempDir() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "chats-embedded-"));
  await fs.chmod(dir, 0o755);
  dirs.push(dir);
  return path.join(dir, "data");
}

afterAll(async () => {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

describe("embedded PostgreSQL", () => {
  it("explains which port is taken instead of failing obscurely", async () => {
    const blocker = net.createServer().listen(0, "127.0.0.1");
    await new Promise((resolve) => blocker.once("listening", resolve));
    const address = blocker.address();
    const port = typeof address === "object" && address ? address.port : 0;
    try {
      await expect(startEmbeddedPostgres({ dataDir: await tempDir(), port, password: "pw", database: "chats" })).rejects.toThrow(
        `Port ${port} is already in use by another program`,
      );
    } finally {
      blocker.close();
    }
  });

  it("keeps its data across a stop and a start", async () => {
    const dataDir = await tempDir();
    const options = { dataDir, port: 0, password: "pw", database: "chats", ephemeral: true };
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, "127.0.0.1", () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
    const pg = await import("pg");
    const first = await startEmbeddedPostgres({ ...options, port });
    const client = new pg.default.Client(first.url);
    await client.connect();
    await client.query("create table notes (body text); insert into notes values ('kept')");
    await client.end();
    await first.stop();

    const second = await startEmbeddedPostgres({ ...options, port });
    const again = new pg.default.Client(second.url);
    await again.connect();
    const { rows } = await again.query("select body from notes");
    await again.end();
    await second.stop();
    expect(rows).toEqual([{ body: "kept" }]);
  });
});
