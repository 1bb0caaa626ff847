import type { Platform } from "@/db/schema/enums";

// The platforms in display order and their names, for the browser and the server alike.

export const PLATFORMS = ["instagram", "messenger", "whatsapp"] as const satisfies readonly Platform[];

export const platformLabels: Record<Platform, string> = {
  instagram: "Instagram",
  messenger: "Messenger",
  whatsapp: "WhatsApp",
};
