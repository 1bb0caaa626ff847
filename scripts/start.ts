// npm start: the production build, started the same way as `npm run dev` (no demo data).
import { runStack } from "./lib/stack";

await runStack("production");
