import fs from "node:fs";
import type { RegistryAuth } from "./pull";

/** Where scripts/infra.sh writes the local registry's address and test user (root-only file, never committed). */
export const LOCAL_REGISTRY_CREDENTIALS =
  process.env.GREENLIGHT_REGISTRY_CREDENTIALS ?? "/var/lib/greenlight/registry/credentials.env";

export type LocalRegistry = { host: string; username: string; password: string; auth: RegistryAuth };

/** The local registry infra.sh started (for the tests and the demo); throws naming the next step when it is not set up. */
export function localRegistry(file = LOCAL_REGISTRY_CREDENTIALS): LocalRegistry {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new Error(`${file} is missing: run scripts/infra.sh (as root) to start the local registry`);
  }
  const values = Object.fromEntries(
    text
      .split("\n")
      .filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  const {
    GREENLIGHT_REGISTRY: host,
    GREENLIGHT_REGISTRY_USER: username,
    GREENLIGHT_REGISTRY_PASSWORD: password,
  } = values;
  if (!host || !username || !password)
    throw new Error(`${file} is incomplete: remove it and run scripts/infra.sh again`);
  return { host, username, password, auth: { username, password, serveraddress: host } };
}
