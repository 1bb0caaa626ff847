// The schema registry: drizzle-kit and the db client read every table from here.
export * from "./enums";
export * from "./auth";
export * from "./workspaces";
export * from "./platforms";
export * from "./messaging";
export * from "./webhooks";
export * from "./analytics";
export * from "./realtime";
export * from "./audit";
