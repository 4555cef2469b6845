// Test support only: a fleet of Docker hosts on this machine (scripts/fleet/fleet.sh), each a network namespace with
// its own dockerd and sshd, reached at 10.213.47.(10+N). Only those addresses and loopback are ever addressed.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const SCRIPT = path.resolve(__dirname, "../../scripts/fleet/fleet.sh");
const RUN_DIR = "/run/gl-fleet";

export type FleetHost = {
  /** 1-based, as fleet.sh numbers them. */
  index: number;
  name: string;
  /** The namespace's address on its veth pair: where nginx, SSH and TCP reach it. */
  address: string;
  socket: string;
  /** The host key's SHA256 fingerprint, as `ssh-keygen -l -E sha256` prints it. */
  hostKeySha256: string;
};

export type Fleet = {
  hosts: FleetHost[];
  /** The private key (OpenSSH format) whose public half every host's sshd accepts for root. */
  sshKey: string;
  /** Copies images from the shared engine into every host. */
  load: (...images: string[]) => Promise<void>;
  /** Kills one host's dockerd and containerd: its address still answers, its engine does not. */
  stopEngine: (index: number) => Promise<void>;
  down: () => Promise<void>;
};

async function fleetSh(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run("bash", [SCRIPT, ...args], { timeout: 120_000 });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`fleet.sh ${args[0]} failed: ${e.stderr?.trim() || e.message}`);
  }
}

/** Sweeps whatever a killed earlier run left, then starts `count` hosts. */
export async function startFleet(count: number): Promise<Fleet> {
  await fleetSh("up", String(count));
  const hosts = Array.from({ length: count }, (_, i) => {
    const index = i + 1;
    const dir = path.join(RUN_DIR, String(index));
    return {
      index,
      name: `host-${index}`,
      address: `10.213.47.${10 + index}`,
      socket: path.join(dir, "docker.sock"),
      hostKeySha256: fs.readFileSync(path.join(dir, "host_key.sha256"), "utf8").trim(),
    };
  });
  return {
    hosts,
    sshKey: fs.readFileSync(path.join(RUN_DIR, "id_ed25519"), "utf8"),
    load: async (...images) => void (await fleetSh("load", ...images)),
    stopEngine: async (index) => void (await fleetSh("stop-engine", String(index))),
    down: async () => void (await fleetSh("down")),
  };
}
