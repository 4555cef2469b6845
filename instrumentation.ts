export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { ensureBootstrapAdmin } = await import("./lib/auth/bootstrap");
  const created = await ensureBootstrapAdmin();
  if (created) console.log(`Greenlight: created the first user "${created}" from GREENLIGHT_ADMIN_PASSWORD`);
}
