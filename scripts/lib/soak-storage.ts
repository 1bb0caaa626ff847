import pg from "pg";
import type { StorageCounts } from "./soak-verdict";

// What the soak stack's database holds of the load: the sandbox's load runner (sandbox/load.ts)
// writes every message as "Load test message #…" with a fresh id, so its webhook events and the
// messages they became can be told apart from the history imported at connect and matched by id.

const LOAD_TEXT = "Load test message #";

const COUNTS = `
  with events as (
    select status,
           coalesce(raw_body::jsonb #>> '{entry,0,changes,0,value,messages,0,id}',
                    raw_body::jsonb #>> '{entry,0,messaging,0,message,mid}') as mid
    from webhook_events
    where signature_ok and strpos(raw_body, $1) > 0
  ), stored as (
    select external_id from messages where starts_with(text, $1)
  )
  select (select count(*) from events)::int as events_stored,
         (select count(*) from events where status = 'processed')::int as events_processed,
         (select count(*) from events where status in ('pending', 'failed'))::int as events_unfinished,
         (select count(*) from stored)::int as messages_stored,
         (select count(distinct external_id) from stored)::int as distinct_messages,
         (select count(*) from events e where not exists (select 1 from stored s where s.external_id = e.mid))::int
           as events_without_message`;

interface Row {
  events_stored: number;
  events_processed: number;
  events_unfinished: number;
  messages_stored: number;
  distinct_messages: number;
  events_without_message: number;
}

export async function countLoad(databaseUrl: string): Promise<StorageCounts & { eventsUnfinished: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<Row>(COUNTS, [LOAD_TEXT]);
    const row = rows[0];
    if (!row) throw new Error("the load count query returned nothing");
    return {
      eventsStored: row.events_stored,
      eventsProcessed: row.events_processed,
      eventsUnfinished: row.events_unfinished,
      messagesStored: row.messages_stored,
      distinctMessages: row.distinct_messages,
      eventsWithoutMessage: row.events_without_message,
    };
  } finally {
    await client.end();
  }
}

/**
 * Waits until the app has processed what it acknowledged (processing follows the 200) and returns
 * the final counts; gives up after `timeoutMs` with whatever is there, for the verdict to judge.
 */
export async function drainedCounts(databaseUrl: string, acked: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await countLoad(databaseUrl);
    const done = counts.eventsUnfinished === 0 && counts.eventsStored >= acked;
    if (done || Date.now() > deadline) return counts;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
