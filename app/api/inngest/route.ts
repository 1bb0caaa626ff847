import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";

// GET|POST|PUT /api/inngest – where an Inngest server (Cloud, self-hosted or dev) invokes our functions.
// Requests are verified with INNGEST_SIGNING_KEY outside dev mode; the SDK answers 401 otherwise.
export const { GET, POST, PUT } = serve({ client: inngest, functions });
