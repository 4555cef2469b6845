import Docker from "dockerode";
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

export const docker = new Docker();
const TEST_LABEL = "greenlight.test";

interface AppContainerInput {
  suite: string;
  image: string;
  port: number;
  dbDir: string;
  env?: Record<string, string>;
}

/** Starts an app container the way Greenlight runs slots: host network, Init, DB directory bind-mounted. */
export async function startApp(input: AppContainerInput): Promise<Docker.Container> {
  const name = `gltest-a-${input.suite}-${input.port}-${randomBytes(3).toString("hex")}`;
  const env = { PORT: String(input.port), DATABASE_PATH: "/data/backtest.db", ...input.env };
  const container = await docker.createContainer({
    name,
    Image: input.image,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    Labels: { [TEST_LABEL]: `gltest-a-${input.suite}` },
    HostConfig: { NetworkMode: "host", Init: true, Binds: [`${input.dbDir}:/data`] },
  });
  await container.start();
  return container;
}

/** Removes every container this suite created, including leftovers of an interrupted run. */
export async function removeSuiteContainers(suite: string): Promise<void> {
  const list = await docker.listContainers({
    all: true,
    filters: { label: [`${TEST_LABEL}=gltest-a-${suite}`] },
  });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true })));
}

interface HttpResult {
  status: number;
  body: unknown;
}

export async function request(port: number, method: string, path: string, body?: unknown): Promise<HttpResult> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

/** Polls until the app answers at all (any status), bounded by `attempts`; returns the last answer. */
export async function waitForAnswer(port: number, path = "/api/health", attempts = 100): Promise<HttpResult> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await request(port, "GET", path);
    } catch (error) {
      last = error;
      await sleep(100);
    }
  }
  throw new Error(`no answer on port ${port}${path}`, { cause: last });
}

/** Container logs as text, demultiplexed from Docker's 8-byte frame headers. */
export async function readLogs(container: Docker.Container): Promise<string> {
  const raw = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
  const parts: string[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length) {
    const size = raw.readUInt32BE(offset + 4);
    parts.push(raw.subarray(offset + 8, offset + 8 + size).toString("utf8"));
    offset += 8 + size;
  }
  return parts.join("");
}

export function logLines(text: string): Array<Record<string, unknown>> {
  return text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
