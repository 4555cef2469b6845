import type Dockerode from "dockerode";

export type ContainerState = "created" | "running" | "paused" | "restarting" | "removing" | "exited" | "dead";

export type ContainerSummary = {
  id: string;
  name: string;
  state: ContainerState;
  running: boolean;
  exitCode: number;
  startedAt: string | null;
  finishedAt: string | null;
  labels: Record<string, string>;
  /** The image reference the container was created from, as given. */
  image: string;
  imageId: string;
  restartCount: number;
  oomKilled: boolean;
};

const ZERO_TIME = "0001-01-01T00:00:00Z";

/** The fields Greenlight reads from an inspect answer. */
export function summarizeContainer(info: Dockerode.ContainerInspectInfo): ContainerSummary {
  const time = (t: string | undefined) => (t && t !== ZERO_TIME ? t : null);
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ""),
    state: info.State.Status as ContainerState,
    running: info.State.Running,
    exitCode: info.State.ExitCode,
    startedAt: time(info.State.StartedAt),
    finishedAt: time(info.State.FinishedAt),
    labels: info.Config.Labels ?? {},
    image: info.Config.Image,
    imageId: info.Image,
    restartCount: info.RestartCount,
    oomKilled: info.State.OOMKilled,
  };
}
