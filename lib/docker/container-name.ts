import type { Slot } from "@/lib/config/schema";
import { ValidationError } from "@/lib/errors";

const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** `greenlight-<service>-<slot>-<deploymentId>`; Docker refuses anything outside [a-zA-Z0-9][a-zA-Z0-9_.-]+. */
export function containerName(service: string, slot: Slot, deploymentId: string): string {
  if (!/^[a-zA-Z0-9_.-]{1,64}$/.test(deploymentId)) {
    throw new ValidationError(
      "Deployment id must be 1-64 letters, digits, '_', '.' or '-' to be part of a container name",
    );
  }
  const name = `greenlight-${service}-${slot}-${deploymentId}`;
  if (!DOCKER_NAME.test(name)) throw new ValidationError(`Container name "${name}" is not a valid Docker name`);
  return name;
}
