import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { stripVTControlCharacters } from "node:util";

// The e2e web server command: runs `npm start` with its output passed on to Playwright as before
// and also written, without colours, to a file, so e2e/logs.check.ts can read everything the whole
// stack printed during the run.
//
//   node --import tsx e2e/support/tee-server.ts <log file> -- <command> [args…]
//
// Playwright stops the server by signalling the whole process group; the command is in that group
// and gets the signal itself, so this process only relays signals sent to it alone and stays until
// the last writer of the output (the stack's supervisor, not npm) has closed it.

const [logFile, separator, command, ...args] = process.argv.slice(2);
if (!logFile || separator !== "--" || !command) {
  console.error("usage: tee-server.ts <log file> -- <command> [args…]");
  process.exit(2);
}

fs.mkdirSync(path.dirname(logFile), { recursive: true });
const file = fs.createWriteStream(logFile, { flags: "w" });
const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });

for (const [input, output] of [
  [child.stdout, process.stdout],
  [child.stderr, process.stderr],
] as const) {
  input.pipe(output, { end: false });
  readline.createInterface({ input }).on("line", (line) => file.write(`${stripVTControlCharacters(line)}\n`));
}

for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
  process.on(signal, () => child.kill(signal));
}

child.on("error", (error) => {
  console.error(`tee-server: could not start ${command}: ${error.message}`);
  process.exit(1);
});
child.on("close", (code, signal) => {
  file.end(() => process.exit(code ?? (signal ? 128 + os.constants.signals[signal] : 1)));
});
