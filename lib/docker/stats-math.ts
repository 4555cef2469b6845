/** The parts of Docker's stats JSON the CPU and memory figures need. */
export type DockerStats = {
  cpu_stats: CpuStats;
  precpu_stats: CpuStats;
  memory_stats: { usage?: number; limit?: number; stats?: Record<string, number | undefined> };
};
type CpuStats = {
  cpu_usage: { total_usage: number; percpu_usage?: number[] };
  system_cpu_usage?: number;
  online_cpus?: number;
};

/** CPU percent exactly as the Docker CLI computes it (100 = one full core). */
export function cpuPercent(stats: DockerStats): number {
  const cpuDelta = stats.cpu_stats.cpu_usage.total_usage - stats.precpu_stats.cpu_usage.total_usage;
  const systemDelta = (stats.cpu_stats.system_cpu_usage ?? 0) - (stats.precpu_stats.system_cpu_usage ?? 0);
  let online = stats.cpu_stats.online_cpus ?? 0;
  if (online === 0) online = stats.cpu_stats.cpu_usage.percpu_usage?.length ?? 0;
  if (systemDelta > 0 && cpuDelta > 0) return (cpuDelta / systemDelta) * online * 100;
  return 0;
}

/**
 * Memory in use without the reclaimable page cache, as the Docker CLI shows it:
 * cgroup v1 subtracts `total_inactive_file`, cgroup v2 `inactive_file`.
 */
export function memoryUsageBytes(stats: DockerStats): number {
  const usage = stats.memory_stats.usage ?? 0;
  const detail = stats.memory_stats.stats ?? {};
  const v1 = detail.total_inactive_file;
  if (v1 !== undefined) return v1 < usage ? usage - v1 : usage;
  const v2 = detail.inactive_file;
  if (v2 !== undefined && v2 < usage) return usage - v2;
  return usage;
}
