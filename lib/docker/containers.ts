import type Dockerode from "dockerode";
import type { Slot } from "@/lib/config/schema";
import { AppError, ConflictError, NotFoundError } from "@/lib/errors";
import { dockerMessage, dockerStatusCode, getDocker } from "./client";
import { summarizeContainer, type ContainerSummary } from "./container-summary";
import { demuxLogsToText } from "./demux-logs";
import { LABELS } from "./labels";

export type { ContainerSummary } from "./container-summary";

export class ContainerStartError extends AppError {
  override readonly code = "container_start_failed";
}

/** Creates and starts a container; a container that fails to start is removed again. */
export async function runContainer(opts: Dockerode.ContainerCreateOptions): Promise<{ id: string; name: string }> {
  const docker = getDocker();
  const name = opts.name ?? "(unnamed)";
  let container: Dockerode.Container;
  try {
    container = await docker.createContainer(opts);
  } catch (error) {
    const status = dockerStatusCode(error);
    if (status === 409) throw new ConflictError(`A container named ${name} already exists`, { cause: error });
    if (status === 404)
      throw new NotFoundError(`Image ${opts.Image ?? ""} is not present on this host`, { cause: error });
    throw new ContainerStartError(`Could not create container ${name}: ${dockerMessage(error)}`, { cause: error });
  }
  try {
    await container.start();
  } catch (error) {
    const startMessage = dockerMessage(error);
    try {
      await container.remove({ force: true });
    } catch (removeError) {
      if (dockerStatusCode(removeError) !== 404) {
        throw new ContainerStartError(
          `Container ${name} did not start (${startMessage}) and could not be removed: ${dockerMessage(removeError)}`,
          { cause: error },
        );
      }
    }
    throw new ContainerStartError(`Container ${name} did not start: ${startMessage}`, { cause: error });
  }
  return { id: container.id, name };
}

/** Starts an existing container again; already running is fine. */
export async function startContainer(id: string): Promise<void> {
  try {
    await getDocker().getContainer(id).start();
  } catch (error) {
    if (dockerStatusCode(error) === 304) return;
    throw new AppError(`Could not start container ${id}: ${dockerMessage(error)}`, { cause: error });
  }
}

/** Restarts a running container (SIGTERM, then SIGKILL after the grace period). */
export async function restartContainer(id: string, graceSeconds: number): Promise<void> {
  try {
    await getDocker().getContainer(id).restart({ t: graceSeconds });
  } catch (error) {
    throw new AppError(`Could not restart container ${id}: ${dockerMessage(error)}`, { cause: error });
  }
}

/** The `NAME=value` environment a container was created with. */
export async function containerEnv(id: string): Promise<string[]> {
  try {
    return (await getDocker().getContainer(id).inspect()).Config.Env ?? [];
  } catch (error) {
    throw new AppError(`Could not inspect container ${id}: ${dockerMessage(error)}`, { cause: error });
  }
}

/** Stops with SIGTERM, then SIGKILL after the grace period; already stopped or gone is fine. */
export async function stopContainer(id: string, graceSeconds: number): Promise<void> {
  try {
    await getDocker().getContainer(id).stop({ t: graceSeconds });
  } catch (error) {
    const status = dockerStatusCode(error);
    if (status === 304 || status === 404) return;
    throw new AppError(`Could not stop container ${id}: ${dockerMessage(error)}`, { cause: error });
  }
}

/** Removes the container (and its anonymous volumes), running or not; already gone is fine. */
export async function removeContainer(id: string): Promise<void> {
  try {
    await getDocker().getContainer(id).remove({ force: true, v: true });
  } catch (error) {
    const status = dockerStatusCode(error);
    if (status === 404) return;
    // 409 "removal already in progress": another caller is removing it.
    if (status === 409 && /already in progress/i.test(dockerMessage(error))) return;
    throw new AppError(`Could not remove container ${id}: ${dockerMessage(error)}`, { cause: error });
  }
}

/** A summary of the container, or null when it does not exist. */
export async function inspectContainer(id: string): Promise<ContainerSummary | null> {
  try {
    return summarizeContainer(await getDocker().getContainer(id).inspect());
  } catch (error) {
    if (dockerStatusCode(error) === 404) return null;
    throw new AppError(`Could not inspect container ${id}: ${dockerMessage(error)}`, { cause: error });
  }
}

export type ContainerFilter = { service?: string; slot?: Slot; deployment?: string; all?: boolean };

/** Greenlight's containers matching the labels; `all` includes stopped ones. Never matches by name. */
export async function findContainers(filter: ContainerFilter = {}): Promise<ContainerSummary[]> {
  const label = [`${LABELS.managed}=true`];
  if (filter.service) label.push(`${LABELS.service}=${filter.service}`);
  if (filter.slot) label.push(`${LABELS.slot}=${filter.slot}`);
  if (filter.deployment) label.push(`${LABELS.deployment}=${filter.deployment}`);
  let listed: Dockerode.ContainerInfo[];
  try {
    listed = await getDocker().listContainers({ all: filter.all ?? false, filters: { label } });
  } catch (error) {
    throw new AppError(`Could not list containers: ${dockerMessage(error)}`, { cause: error });
  }
  const summaries = await Promise.all(listed.map((c) => inspectContainer(c.Id)));
  return summaries.filter((s): s is ContainerSummary => s !== null);
}

/** Recent output (stdout and stderr interleaved) as plain text. `since` is a Unix time in seconds. */
export async function containerLogs(
  id: string,
  options: { tail?: number; since?: number; until?: number } = {},
): Promise<string> {
  try {
    const body = await getDocker()
      .getContainer(id)
      .logs({
        stdout: true,
        stderr: true,
        follow: false,
        tail: options.tail ?? 200,
        since: options.since ?? 0,
        ...(options.until === undefined ? {} : { until: options.until }),
      });
    return demuxLogsToText(Buffer.isBuffer(body) ? body : Buffer.from(String(body)));
  } catch (error) {
    if (dockerStatusCode(error) === 404) throw new NotFoundError(`Container ${id} does not exist`, { cause: error });
    throw new AppError(`Could not read logs of container ${id}: ${dockerMessage(error)}`, { cause: error });
  }
}

/** Waits until the container exits; its exit code, or null when it is still running after timeoutMs. */
export async function waitForExit(id: string, timeoutMs: number): Promise<number | null> {
  const abortSignal = AbortSignal.timeout(timeoutMs);
  try {
    const result = (await getDocker().getContainer(id).wait({ abortSignal })) as { StatusCode: number };
    return result.StatusCode;
  } catch (error) {
    if (abortSignal.aborted) return null;
    if (dockerStatusCode(error) === 404) throw new NotFoundError(`Container ${id} does not exist`, { cause: error });
    throw new AppError(`Could not wait for container ${id}: ${dockerMessage(error)}`, { cause: error });
  }
}
