import { randomBytes } from "node:crypto";

/** Sortable, short, safe in container names: `d` + base36 time + 4 random hex. */
export function newDeploymentId(now = Date.now()): string {
  return `d${now.toString(36)}${randomBytes(2).toString("hex")}`;
}
