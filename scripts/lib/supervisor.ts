import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";

// Runs the processes of one `npm run dev` / `npm start`, prefixing each line of output with the
// process's name, and stops them in reverse start order so the database goes last.

const colors = [36, 35, 33, 32, 34, 31];

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface Service {
  name: string;
  stop(): Promise<void>;
}

export class Supervisor {
  private services: Service[] = [];
  private shuttingDown: Promise<void> | undefined;
  private nextColor = 0;
  private readonly width = 8;

  constructor(private readonly onExit: (code: number) => void) {
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      process.on(signal, () => {
        if (!this.shuttingDown) this.log("chats", `${signal} received, shutting down`);
        void this.shutdown(0);
      });
    }
  }

  private paint(name: string): string {
    const color = colors[this.nextColor++ % colors.length] ?? 36;
    return `\u001b[${color}m${name.padEnd(this.width)}\u001b[0m│ `;
  }

  private prefixes = new Map<string, string>();

  /** A line-prefixing writer for a named part of the stack. */
  logger(name: string): (line: string) => void {
    if (!this.prefixes.has(name)) this.prefixes.set(name, this.paint(name));
    const prefix = this.prefixes.get(name) ?? "";
    return (line: string) => process.stdout.write(`${prefix}${line}\n`);
  }

  log(name: string, line: string): void {
    this.logger(name)(line);
  }

  /** Registers something started in-process (the embedded database) to be stopped at shutdown. */
  add(service: Service): void {
    this.services.push(service);
  }

  spawn(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ManagedProcess {
    const write = this.logger(name);
    // Its own process group, so we can signal the whole tree (next spawns workers) and a terminal
    // Ctrl-C does not race our ordered shutdown.
    const child = spawn(command, args, { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) readline.createInterface({ input: stream }).on("line", write);
    }
    let exited = false;
    const exitedPromise = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.once("exit", (code, signal) => {
      exited = true;
      if (!this.shuttingDown) {
        write(`exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
        void this.shutdown(code === 0 || code === null ? 1 : code);
      }
    });
    const managed: ManagedProcess = {
      name,
      child,
      stop: async () => {
        if (exited || child.pid === undefined) return;
        signalGroup(child.pid, "SIGTERM");
        const timer = setTimeout(() => child.pid !== undefined && signalGroup(child.pid, "SIGKILL"), 10_000);
        await exitedPromise;
        clearTimeout(timer);
        // Workers of the group may outlive their parent by a moment; make sure none is left.
        signalGroup(child.pid, "SIGKILL");
      },
    };
    this.services.push({ name, stop: managed.stop });
    return managed;
  }

  shutdown(code: number): Promise<void> {
    this.shuttingDown ??= (async () => {
      for (const service of [...this.services].reverse()) {
        try {
          await service.stop();
          this.log(service.name, "stopped");
        } catch (error) {
          this.log(service.name, `failed to stop: ${(error as Error).message}`);
        }
      }
      this.onExit(code);
    })();
    return this.shuttingDown;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
