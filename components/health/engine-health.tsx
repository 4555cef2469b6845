import type { Check } from "@/lib/health/readiness";

/**
 * In the console's header: nothing while this process drives deployments and its collectors run; otherwise one
 * amber line saying which part is degraded, with the readiness check's own words (`/api/readyz` has them all).
 */
export function EngineHealth({ engine, collectors }: { engine: Check; collectors: Check }) {
  const problems = [
    ...(engine.ok ? [] : [{ name: "Engine", detail: engine.detail }]),
    ...(collectors.ok ? [] : [{ name: "Metrics", detail: collectors.detail }]),
  ];
  if (problems.length === 0) return null;
  return (
    <span
      role="status"
      data-testid="engine-health"
      title={problems.map((p) => `${p.name}: ${p.detail}`).join("\n")}
      className="rounded border border-amber-600 bg-amber-950/60 px-2 py-0.5 text-xs text-amber-100"
    >
      {problems.map((p) => p.name).join(" and ")} degraded
      <span className="sr-only">: {problems.map((p) => p.detail).join("; ")}</span>
    </span>
  );
}
