import { AppError, NotFoundError } from "@/lib/errors";
import { dockerMessage, dockerStatusCode, getDocker } from "./client";
import type { DockerStats } from "./stats-math";

export { cpuPercent, memoryUsageBytes, type DockerStats } from "./stats-math";

/** One stats sample; the engine fills `precpu_stats` from its previous read, so CPU percent is meaningful. */
export async function containerStatsOnce(id: string): Promise<DockerStats> {
  try {
    return (await getDocker().getContainer(id).stats({ stream: false })) as unknown as DockerStats;
  } catch (error) {
    if (dockerStatusCode(error) === 404) throw new NotFoundError(`Container ${id} does not exist`, { cause: error });
    throw new AppError(`Could not read stats of container ${id}: ${dockerMessage(error)}`, { cause: error });
  }
}
