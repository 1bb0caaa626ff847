import { z } from "zod";

export const platformIdParams = z.object({ id: z.uuid({ error: "Not a platform id." }) });

export const listPlatformsQuery = z.object({ workspaceId: z.uuid().optional() });

export const connectBody = z.object({ workspaceId: z.uuid().optional() });

export const disconnectQuery = z.object({
  purge: z
    .enum(["true", "false"], { error: "purge is true or false." })
    .optional()
    .transform((value) => value === "true"),
});

export const callbackQuery = z.union([
  z.object({ code: z.string().min(1).max(2000), state: z.string().min(1).max(4000) }),
  z.object({
    error: z.string().max(200),
    error_description: z.string().max(2000).optional(),
    state: z.string().max(4000).optional(),
  }),
]);
