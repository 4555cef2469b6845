import { describe, expect, it } from "vitest";
import { cpuPercent, memoryUsageBytes, type DockerStats } from "./stats-math";

const stats = (over: Partial<DockerStats> = {}): DockerStats => ({
  cpu_stats: { cpu_usage: { total_usage: 2_000_000_000 }, system_cpu_usage: 110_000_000_000, online_cpus: 2 },
  precpu_stats: { cpu_usage: { total_usage: 1_500_000_000 }, system_cpu_usage: 100_000_000_000 },
  memory_stats: { usage: 100_000_000, stats: {} },
  ...over,
});

describe("cpuPercent", () => {
  it("is cpu delta / system delta x online CPUs x 100", () => {
    // 0.5e9 / 10e9 * 2 * 100 = 10
    expect(cpuPercent(stats())).toBe(10);
  });
  it("falls back to the per-CPU list length when online_cpus is missing", () => {
    const s = stats({
      cpu_stats: {
        cpu_usage: { total_usage: 2_000_000_000, percpu_usage: [1, 1, 1, 1] },
        system_cpu_usage: 110_000_000_000,
      },
    });
    expect(cpuPercent(s)).toBe(20);
  });
  it("treats a missing previous reading as zero, as the CLI does", () => {
    expect(cpuPercent(stats({ precpu_stats: { cpu_usage: { total_usage: 0 } } }))).toBeCloseTo((2 / 110) * 2 * 100, 10);
  });
  it("is 0 when nothing moved or the system counter did not advance", () => {
    expect(
      cpuPercent(stats({ precpu_stats: { cpu_usage: { total_usage: 1 }, system_cpu_usage: 110_000_000_000 } })),
    ).toBe(0);
    expect(
      cpuPercent(
        stats({ precpu_stats: { cpu_usage: { total_usage: 2_000_000_000 }, system_cpu_usage: 100_000_000_000 } }),
      ),
    ).toBe(0);
  });
});

describe("memoryUsageBytes", () => {
  it("subtracts total_inactive_file on cgroup v1", () => {
    expect(
      memoryUsageBytes(
        stats({ memory_stats: { usage: 100_000_000, stats: { total_inactive_file: 30_000_000, cache: 40_000_000 } } }),
      ),
    ).toBe(70_000_000);
  });
  it("subtracts inactive_file on cgroup v2", () => {
    expect(
      memoryUsageBytes(stats({ memory_stats: { usage: 100_000_000, stats: { inactive_file: 25_000_000 } } })),
    ).toBe(75_000_000);
  });
  it("returns raw usage when the cache figure is missing or not smaller", () => {
    expect(memoryUsageBytes(stats({ memory_stats: { usage: 5_000, stats: { total_inactive_file: 9_000 } } }))).toBe(
      5_000,
    );
    expect(memoryUsageBytes(stats({ memory_stats: { usage: 5_000 } }))).toBe(5_000);
    expect(memoryUsageBytes(stats({ memory_stats: {} }))).toBe(0);
  });
});
