import { processWide } from "@/lib/process-wide";
import { failpoint } from "@/lib/failpoint";
import fs from "node:fs";
import path from "node:path";
import type { Config, Slot } from "@/lib/config/schema";
import { AppError } from "@/lib/errors";
import { readIfExists, writeFileAtomic } from "./atomic-write";
import { NginxError, reload, testConfig } from "./nginx-ctl";
import { parseUpstreamHeader, renderUpstream, type UpstreamHeader, type UpstreamTarget } from "./render-upstream";

type NginxConfig = Pick<Config["nginx"], "binary" | "mainConfig" | "upstreamDir">;

/** nginx -t rejected the configuration; the previous upstream file is back and nginx was not reloaded. */
export class NginxConfigError extends AppError {
  override readonly status = 409;
  override readonly code = "nginx_config_invalid";
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}

export function upstreamFile(upstreamDir: string, service: string): string {
  return path.join(upstreamDir, `${service}.conf`);
}

/** Kept beside, not inside, the upstream directory so the include glob never loads a backup. */
export function backupFile(upstreamDir: string, service: string): string {
  return path.join(path.dirname(path.resolve(upstreamDir)), "upstream-backups", `${service}.conf.prev`);
}

/** Writes the service's upstream file atomically without testing or reloading (first start of nginx). */
export function writeUpstreamFile(input: UpstreamTarget & { upstreamDir: string }): string {
  const file = upstreamFile(input.upstreamDir, input.service);
  fs.mkdirSync(input.upstreamDir, { recursive: true });
  writeFileAtomic(file, renderUpstream(input));
  return file;
}

/** What the upstream file says is live (null when Greenlight has not written one). */
export async function readLiveUpstream(
  nginx: Pick<Config["nginx"], "upstreamDir">,
  service: string,
): Promise<UpstreamHeader | null> {
  const text = readIfExists(upstreamFile(nginx.upstreamDir, service));
  return text === null ? null : parseUpstreamHeader(text);
}

function restore(file: string, previous: string | null): void {
  if (previous === null) fs.rmSync(file, { force: true });
  else writeFileAtomic(file, previous);
}

function firstProblem(output: string): string {
  const line = output.split("\n").find((l) => /\[(emerg|alert|crit|error)\]/.test(l)) ?? output.split("\n")[0] ?? "";
  return line
    .replace(/^nginx: /, "")
    .trim()
    .slice(0, 300);
}

// Process-wide (Next loads a module once per server bundle), so switches from any route run one at a time.
const queues = processWide("nginx-switch-queues", () => new Map<string, Promise<unknown>>());
function serialized<T>(key: string, task: () => Promise<T>): Promise<T> {
  const next = (queues.get(key) ?? Promise.resolve()).then(task, task);
  queues.set(
    key,
    next.catch(() => undefined),
  );
  return next;
}

export type SwitchResult = {
  previous: string | null;
  file: string;
  testMs: number;
  /** `nginx -s reload` itself. */
  reloadSignalMs: number;
  /** Until new workers run and every old one stopped accepting (or the confirmation wait ended). */
  reloadMs: number;
  reloadConfirmed: boolean;
  oldWorkers: number[];
};

/**
 * Points the service's upstream at a slot: atomic write, backup of the previous file, `nginx -t`,
 * reload. A failed test or reload restores the previous file; a failed test never reloads.
 * Switches through one main config run one at a time within this process.
 */
export function switchUpstream(input: { nginx: NginxConfig } & UpstreamTarget): Promise<SwitchResult> {
  const { nginx, ...target } = input;
  const text = renderUpstream(target);
  return serialized(nginx.mainConfig, async () => {
    const file = upstreamFile(nginx.upstreamDir, target.service);
    const previous = readIfExists(file);
    if (previous !== null) {
      const backup = backupFile(nginx.upstreamDir, target.service);
      fs.mkdirSync(path.dirname(backup), { recursive: true });
      writeFileAtomic(backup, previous);
    }
    writeFileAtomic(file, text);
    failpoint("switch:before-reload");

    const testStarted = performance.now();
    const test = await testConfig(nginx);
    const testMs = performance.now() - testStarted;
    if (!test.ok) {
      restore(file, previous);
      throw new NginxConfigError(
        `nginx rejected the configuration, so traffic was not switched (previous upstream restored): ${firstProblem(test.output)}`,
        test.output,
      );
    }

    const reloadStarted = performance.now();
    try {
      const reloaded = await reload(nginx);
      return {
        previous,
        file,
        testMs,
        reloadSignalMs: reloaded.signalMs,
        reloadMs: performance.now() - reloadStarted,
        reloadConfirmed: reloaded.confirmed,
        oldWorkers: reloaded.oldWorkers,
      };
    } catch (error) {
      restore(file, previous);
      if (error instanceof NginxError) {
        throw new NginxError(`${error.message}; the previous upstream file was restored`, error.output, {
          cause: error,
        });
      }
      throw error;
    }
  });
}
