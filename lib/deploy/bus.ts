import { processWide } from "@/lib/process-wide";
import { EventEmitter } from "node:events";

export type DeploymentSignal = { deploymentId: string; service: string };

/** In-process notifications that a deployment changed; streams re-read SQLite when they hear one. */
export function deployBus(): EventEmitter {
  return processWide("deploy-bus", () => new EventEmitter().setMaxListeners(500));
}

export function signalDeployment(signal: DeploymentSignal): void {
  deployBus().emit("deployment", signal);
}

/** Calls `onChange` for every change of a deployment `matches` picks; returns the function that stops listening. */
export function onDeploymentSignal(matches: (signal: DeploymentSignal) => boolean, onChange: () => void): () => void {
  const listener = (signal: DeploymentSignal) => matches(signal) && onChange();
  deployBus().on("deployment", listener);
  return () => deployBus().off("deployment", listener);
}
