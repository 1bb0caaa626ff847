// Runs once per server instance before it takes requests: configuration check and migrations.
export async function register() {
  // NEXT_RUNTIME is inlined by Next at build time; the boot code only makes sense in Node.js.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { boot } = await import("@/lib/server/boot");
    await boot();
  }
}
