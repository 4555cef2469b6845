export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { stampPeerAddresses } = await import("./lib/auth/peer-address");
  stampPeerAddresses();
  const { start } = await import("./lib/jobs/start");
  await start();
}
