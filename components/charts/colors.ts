import type { Platform } from "@/db/schema/enums";

/** One hue per platform, used by every chart and legend so a platform keeps its colour across the page. */
export const platformColors: Record<Platform, string> = {
  instagram: "#db2777",
  messenger: "#3b6ef6",
  whatsapp: "#10b981",
};
