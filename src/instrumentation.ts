/**
 * Next.js calls register() once when a server process starts (`next dev`, `next start`). In local
 * jobs mode (no Inngest server configured) it starts the in-process runner of background functions.
 * NEXT_RUNTIME is read directly because it must be checked before any Node-only module is imported
 * (the Edge runtime loads this file too).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { registerLocalRunner } = await import("./server/jobs/local/register");
  await registerLocalRunner();
}
