import type Dockerode from "dockerode";
import type { ServiceConfig, Slot } from "@/lib/config/schema";
import { containerName } from "./container-name";
import { toDockerEnv } from "./env";
import { parseImageRef } from "./image-ref";
import { LABELS } from "./labels";

export type ContainerInput = {
  service: ServiceConfig;
  slot: Slot;
  image: string;
  version: string;
  deploymentId: string;
  /** The service's env with secrets already resolved. */
  env: Record<string, string>;
};

/** Capabilities a web service never needs; dropping them narrows what a compromised app can do. */
export const DROPPED_CAPABILITIES = ["NET_RAW", "MKNOD", "SYS_CHROOT", "SETFCAP", "SETPCAP", "AUDIT_WRITE"];

/**
 * The create options for one slot's container. Greenlight's own settings (the port variable and
 * HOST) win over the service's env, so the app listens where nginx expects it.
 */
export function buildContainerOptions(input: ContainerInput): Dockerode.ContainerCreateOptions {
  const { service, slot, version, deploymentId } = input;
  const image = parseImageRef(input.image).ref;
  const c = service.container;
  const hostPort = service.slots[slot].port;
  const bridge = c.network.mode === "bridge" ? c.network : null;
  const listenPort = bridge?.containerPort ?? hostPort;

  const env = toDockerEnv({
    ...input.env,
    [c.portEnv]: String(listenPort),
    // Host networking: bind loopback only. Bridge: the container's own interface, published on 127.0.0.1.
    HOST: bridge ? "0.0.0.0" : "127.0.0.1",
  });

  const hostConfig: Dockerode.HostConfig = {
    NetworkMode: bridge ? bridge.name : "host",
    Init: true,
    RestartPolicy: { Name: "unless-stopped" },
    Privileged: false,
    SecurityOpt: ["no-new-privileges"],
    CapDrop: [...DROPPED_CAPABILITIES],
    Binds: c.volumes.map((v) => `${v.host}:${v.container}${v.readOnly ? ":ro" : ""}`),
    LogConfig: { Type: "json-file", Config: { "max-size": "10m", "max-file": "3" } },
  };
  if (bridge)
    hostConfig.PortBindings = { [`${listenPort}/tcp`]: [{ HostIp: "127.0.0.1", HostPort: String(hostPort) }] };
  if (c.memoryMb !== undefined) hostConfig.Memory = c.memoryMb * 1024 * 1024;
  if (c.cpus !== undefined) hostConfig.NanoCpus = Math.round(c.cpus * 1e9);

  const options: Dockerode.ContainerCreateOptions = {
    name: containerName(service.name, slot, deploymentId),
    Image: image,
    Env: env,
    Labels: {
      [LABELS.service]: service.name,
      [LABELS.slot]: slot,
      [LABELS.version]: version,
      [LABELS.deployment]: deploymentId,
      [LABELS.managed]: "true",
    },
    StopTimeout: c.stopGraceSeconds,
    HostConfig: hostConfig,
  };
  if (bridge) options.ExposedPorts = { [`${listenPort}/tcp`]: {} };
  if (c.command) options.Cmd = [...c.command];
  return options;
}
