import type { Slot } from "@/lib/config/schema";
import { ValidationError } from "@/lib/errors";

/** A weighted split: `percent` of the requests go to `slot` on `port`, the rest to the target's own slot. */
export type UpstreamSplit = { slot: Slot; port: number; percent: number };
export type UpstreamTarget = {
  service: string;
  slot: Slot;
  port: number;
  version?: string;
  deploymentId?: string;
  split?: UpstreamSplit;
};
export type UpstreamHeader = {
  service: string;
  slot: Slot;
  port: number;
  version?: string;
  deploymentId?: string;
  split?: UpstreamSplit;
};

const SERVICE = /^[a-z][a-z0-9-]{0,39}$/;
const HEADER_VALUE = /^[A-Za-z0-9_.+-]{1,128}$/;
const HEADER_PREFIX = "# Managed by Greenlight.";

/** nginx upstream names allow no dashes in our convention: `greenlight_<service with underscores>`. */
export function upstreamName(service: string): string {
  return `greenlight_${service.replace(/-/g, "_")}`;
}

function check(target: UpstreamTarget): void {
  if (!SERVICE.test(target.service))
    throw new ValidationError(`Service name "${target.service}" is not valid for an nginx upstream`);
  if (target.slot !== "blue" && target.slot !== "green") throw new ValidationError("Slot must be blue or green");
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535)
    throw new ValidationError("Port must be 1-65535");
  const split = target.split;
  if (split) {
    if (split.slot === target.slot) throw new ValidationError("A split sends its share to the other colour");
    if (!Number.isInteger(split.percent) || split.percent < 1 || split.percent > 99)
      throw new ValidationError("A split's share must be 1-99 percent");
    if (!Number.isInteger(split.port) || split.port < 1 || split.port > 65535 || split.port === target.port)
      throw new ValidationError("A split's port must be 1-65535 and differ from the main one");
  }
  for (const [field, value] of [
    ["version", target.version],
    ["deploymentId", target.deploymentId],
  ] as const) {
    if (value !== undefined && !HEADER_VALUE.test(value)) {
      throw new ValidationError(
        `The ${field} must be 1-128 letters, digits, '_', '.', '+' or '-' to be written to the upstream file`,
      );
    }
  }
}

/**
 * The upstream file Greenlight owns for one service: a one-line machine-readable header, then an
 * upstream pointing at a loopback address (never a hostname nginx would resolve once and cache).
 * With a split, both colours' servers with `weight=` in percent (nginx's weighted round robin, per worker).
 */
export function renderUpstream(target: UpstreamTarget): string {
  check(target);
  const header = [`service=${target.service}`, `slot=${target.slot}`, `port=${target.port}`];
  if (target.version !== undefined) header.push(`version=${target.version}`);
  if (target.deploymentId !== undefined) header.push(`deployment=${target.deploymentId}`);
  const split = target.split;
  if (split) header.push(`split=${split.slot}:${split.port}:${split.percent}`);
  const servers = split
    ? [
        `    server 127.0.0.1:${target.port} weight=${100 - split.percent} max_fails=0;`,
        `    server 127.0.0.1:${split.port} weight=${split.percent} max_fails=0;`,
      ]
    : [`    server 127.0.0.1:${target.port} max_fails=0;`];
  return [
    `${HEADER_PREFIX} ${header.join(" ")}`,
    `upstream ${upstreamName(target.service)} {`,
    ...servers,
    `    keepalive 32;`,
    `}`,
    ``,
  ].join("\n");
}

/**
 * Reads the header of a file written by renderUpstream. Returns null when there is no header, or
 * when the server line no longer agrees with it (the file was edited by hand).
 */
export function parseUpstreamHeader(text: string): UpstreamHeader | null {
  const line = text.split("\n").find((l) => l.startsWith(HEADER_PREFIX));
  if (!line) return null;
  const fields = new Map<string, string>();
  for (const pair of line.slice(HEADER_PREFIX.length).trim().split(/\s+/)) {
    const eq = pair.indexOf("=");
    if (eq > 0) fields.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const service = fields.get("service");
  const slot = fields.get("slot");
  const port = Number(fields.get("port"));
  if (!service || (slot !== "blue" && slot !== "green") || !Number.isInteger(port) || port < 1 || port > 65535)
    return null;
  let split: UpstreamSplit | undefined;
  const splitField = fields.get("split");
  if (splitField !== undefined) {
    const [splitSlot, splitPort, splitPercent] = splitField.split(":");
    split = { slot: splitSlot as Slot, port: Number(splitPort), percent: Number(splitPercent) };
    if (split.slot === slot || (split.slot !== "blue" && split.slot !== "green")) return null;
    if (!Number.isInteger(split.percent) || split.percent < 1 || split.percent > 99) return null;
  }
  const servers = [...text.matchAll(/^\s*server\s+([^\s;]+)/gm)].map((m) => m[1]);
  const expected = split ? [`127.0.0.1:${port}`, `127.0.0.1:${split.port}`] : [`127.0.0.1:${port}`];
  if (servers.length !== expected.length || servers.some((s, i) => s !== expected[i])) return null;
  const out: UpstreamHeader = { service, slot, port, ...(split && { split }) };
  const version = fields.get("version");
  const deploymentId = fields.get("deployment");
  if (version !== undefined) out.version = version;
  if (deploymentId !== undefined) out.deploymentId = deploymentId;
  return out;
}
