// npm run dev: embedded PostgreSQL (unless DATABASE_URL), then the Next dev server, one log stream.
import { runStack } from "./lib/stack";

await runStack("development");
