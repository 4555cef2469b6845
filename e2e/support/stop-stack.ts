import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { loadConfig } from "@/lib/config/load";
import { findContainers, removeContainer } from "@/lib/docker/containers";
import { LABELS } from "@/lib/docker/labels";
import { stopNginx } from "@/lib/nginx/nginx-ctl";
import { stackConfigFile, stackDataDir, STACK } from "./stack";

/**
 * Stops the stack's nginx and removes the containers this run's deployments created (matched by the deployment
 * label against this run's own database, so another suite's containers of the same service are never touched).
 */
export async function stopStack(runDir: string): Promise<void> {
  const configFile = stackConfigFile(runDir);
  if (!fs.existsSync(configFile)) return;
  const config = loadConfig(configFile);
  await stopNginx(config.nginx);
  const dbFile = path.join(stackDataDir(runDir), "greenlight.db");
  if (!fs.existsSync(dbFile)) return;
  const db = new Database(dbFile, { readonly: true });
  let ids: Set<string>;
  try {
    ids = new Set((db.prepare("SELECT id FROM deployments").all() as Array<{ id: string }>).map((r) => r.id));
  } finally {
    db.close();
  }
  for (const c of await findContainers({ service: STACK.service, all: true })) {
    if (ids.has(c.labels[LABELS.deployment] ?? "")) await removeContainer(c.id);
  }
}
