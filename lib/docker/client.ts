import { processWide } from "@/lib/process-wide";
import Dockerode from "dockerode";
import { AppError, ValidationError } from "@/lib/errors";

export class DockerUnavailableError extends AppError {
  override readonly status = 503;
  override readonly code = "docker_unavailable";
}

/**
 * Connection options from DOCKER_HOST: a unix socket, or plain TCP on a loopback address only
 * (Greenlight never talks to a remote engine without TLS). Unset means /var/run/docker.sock.
 */
export function dockerConnectionOptions(dockerHost: string | undefined): Dockerode.DockerOptions {
  if (!dockerHost) return { socketPath: "/var/run/docker.sock" };
  if (dockerHost.startsWith("unix://")) {
    const socketPath = dockerHost.slice("unix://".length);
    if (!socketPath.startsWith("/")) throw new ValidationError("DOCKER_HOST unix:// must name an absolute socket path");
    return { socketPath };
  }
  if (dockerHost.startsWith("tcp://")) {
    let url: URL;
    try {
      url = new URL(dockerHost.replace(/^tcp:/, "http:"));
    } catch (error) {
      throw new ValidationError("DOCKER_HOST is not a valid tcp:// address", { cause: error });
    }
    if (url.hostname !== "127.0.0.1" && url.hostname !== "localhost") {
      throw new ValidationError("DOCKER_HOST tcp:// must point at 127.0.0.1 or localhost");
    }
    return { protocol: "http", host: "127.0.0.1", port: Number(url.port || 2375) };
  }
  throw new ValidationError("DOCKER_HOST must start with unix:// or tcp://");
}

/** One client per process, created on first use. */
export function getDocker(): Dockerode {
  return processWide("docker", () => new Dockerode(dockerConnectionOptions(process.env.DOCKER_HOST)));
}

/** Resolves when the engine answers; throws DockerUnavailableError otherwise. */
export async function pingDocker(): Promise<void> {
  try {
    await getDocker().ping();
  } catch (error) {
    throw new DockerUnavailableError("The Docker engine does not answer; is dockerd running?", { cause: error });
  }
}

/** The HTTP status of a failed engine call (404 no such object, 304 not modified, 409 conflict). */
export function dockerStatusCode(error: unknown): number | undefined {
  const code = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === "number" ? code : undefined;
}

/** The engine's own message of a failed call, for error details (it never contains env values). */
export function dockerMessage(error: unknown): string {
  const json = (error as { json?: { message?: unknown } } | null)?.json;
  if (json && typeof json.message === "string") return json.message;
  return error instanceof Error ? error.message : String(error);
}
