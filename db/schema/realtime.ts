import { bigserial, pgTable } from "drizzle-orm/pg-core";
import { bytea, createdAt } from "./columns";

// @socket.io/postgres-adapter stores payloads too big for NOTIFY (8 kB) here; the table name is its default.
export const socketIoAttachments = pgTable("socket_io_attachments", {
  id: bigserial({ mode: "bigint" }).primaryKey(),
  createdAt: createdAt(),
  payload: bytea(),
});
