import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { SuccessReportTable } from "@/components/metrics/success-report-table";
import { requireUser } from "@/lib/auth/guard";
import { getEngineContext } from "@/lib/deploy/engine";
import { findDeployment } from "@/lib/deploy/store";
import { deploymentReport } from "@/lib/views/metrics-report";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Report ${(await params).id} · Greenlight` };
}

const when = (ms: number | null) =>
  ms === null ? "–" : new Date(ms).toISOString().replace("T", " ").slice(0, 19) + " UTC";

/** The success report a release manager signs off, computed from what Greenlight measured during the deployment. */
export default async function DeploymentReportPage({ params }: Params) {
  await requireUser();
  const { id } = await params;
  const ctx = getEngineContext();
  if (!findDeployment(ctx.db, id)) notFound();
  const r = deploymentReport(ctx.db, id);
  const d = r.deployment;
  const met = r.rows.filter((row) => row.status === "met").length;
  const api = `/api/reports/deployments/${encodeURIComponent(id)}`;
  return (
    <main className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">
          Success report{" "}
          <span className="text-zinc-400">
            {d.service} {d.fromVersion ? `${d.fromVersion} → ` : ""}
            {d.version}
          </span>
        </h1>
        <div className="flex gap-3 text-sm">
          {(["csv", "md", "json"] as const).map((f) => (
            <a
              key={f}
              href={`${api}?format=${f}`}
              className="rounded-md border border-zinc-700 px-2.5 py-1 text-zinc-200 hover:bg-zinc-800"
              download={f !== "json" ? "" : undefined}
            >
              Download {f.toUpperCase()}
            </a>
          ))}
        </div>
      </div>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm text-zinc-300 md:grid-cols-4">
        <div>
          <dt className="text-xs text-zinc-500">Deployment</dt>
          <dd>
            <Link href={`/deployments/${encodeURIComponent(id)}`} className="text-sky-300 hover:underline">
              {id}
            </Link>
          </dd>
        </div>
        <div>
          <dt className="text-xs text-zinc-500">Status</dt>
          <dd>{d.status.replace("_", " ")}</dd>
        </div>
        <div>
          <dt className="text-xs text-zinc-500">Started · finished</dt>
          <dd>
            {when(d.createdAt)} · {when(d.finishedAt)}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-zinc-500">Requested · promoted by</dt>
          <dd>
            {d.requestedBy} · {d.promotedBy ?? "–"}
          </dd>
        </div>
      </dl>
      <section className="rounded-lg border border-zinc-800 bg-zinc-900/60 p-4">
        <h2 className="mb-1 text-base font-semibold text-zinc-100">
          {met} of {r.rows.length} criteria met
        </h2>
        <SuccessReportTable rows={r.rows} />
        {r.notes.length > 0 ? (
          <ul className="mt-3 list-disc space-y-1 pl-5 text-sm text-amber-200">
            {r.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        ) : null}
        <p className="mt-3 text-xs text-zinc-500">
          Downtime counts requests nginx answered with 5xx from the start of the switch until the new colour was
          verified; user impact counts 5xx of any colour after it. Error rate and response times are the target
          colour&apos;s after the switch; memory is its peak during the deployment.
        </p>
      </section>
    </main>
  );
}
