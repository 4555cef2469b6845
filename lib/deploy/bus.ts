import { EventEmitter } from "node:events";

export type DeploymentSignal = { deploymentId: string; service: string };

const g = globalThis as unknown as { __greenlightDeployBus?: EventEmitter };

/** In-process notifications that a deployment changed; streams re-read SQLite when they hear one. */
export function deployBus(): EventEmitter {
  if (!g.__greenlightDeployBus) {
    g.__greenlightDeployBus = new EventEmitter();
    g.__greenlightDeployBus.setMaxListeners(500);
  }
  return g.__greenlightDeployBus;
}

export function signalDeployment(signal: DeploymentSignal): void {
  deployBus().emit("deployment", signal);
}
