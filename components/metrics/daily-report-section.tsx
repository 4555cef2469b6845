import type { ServiceDailyReport } from "@/lib/views/metrics-daily";
import { formatNumber } from "./format";

const pct = (v: number | null) => (v === null ? "–" : `${v.toFixed(3)}%`);
const ms = (v: number | null) => (v === null ? "–" : `${formatNumber(v)} ms`);

/** The seed's daily report for a few UTC days: requests, success %, average, P95, uptime, with CSV downloads. */
export function DailyReportSection({ service, days }: { service: string; days: readonly ServiceDailyReport[] }) {
  const base = `/api/reports/services/${encodeURIComponent(service)}/daily`;
  return (
    <section
      className="rounded-lg border border-zinc-800 bg-zinc-900/60 p-4"
      data-testid="daily-report"
      aria-labelledby="daily-report-title"
    >
      <h2 id="daily-report-title" className="mb-3 text-base font-semibold text-zinc-100">
        Daily report <span className="text-sm font-normal text-zinc-500">(UTC days, every colour)</span>
      </h2>
      <div className="overflow-x-auto">
        <table className="w-full text-sm tabular-nums">
          <thead className="text-left text-xs text-zinc-400">
            <tr>
              <th className="py-1.5 pr-4 font-medium">Day</th>
              <th className="py-1.5 pr-4 text-right font-medium">Requests</th>
              <th className="py-1.5 pr-4 text-right font-medium">Failed</th>
              <th className="py-1.5 pr-4 text-right font-medium">Success</th>
              <th className="py-1.5 pr-4 text-right font-medium">Average</th>
              <th className="py-1.5 pr-4 text-right font-medium">P95</th>
              <th className="py-1.5 pr-4 text-right font-medium">Uptime</th>
              <th className="py-1.5 font-medium">Download</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-800 text-zinc-200">
            {days.map((d) => (
              <tr key={d.date}>
                <td className="py-1.5 pr-4">{d.date}</td>
                <td className="py-1.5 pr-4 text-right">{d.requests.toLocaleString("en-GB")}</td>
                <td className="py-1.5 pr-4 text-right">{d.failed.toLocaleString("en-GB")}</td>
                <td className="py-1.5 pr-4 text-right">{pct(d.successPercent)}</td>
                <td className="py-1.5 pr-4 text-right">{ms(d.avgMs)}</td>
                <td className="py-1.5 pr-4 text-right">{ms(d.p95Ms)}</td>
                <td
                  className="py-1.5 pr-4 text-right"
                  title={`${d.downMinutes} of ${d.observedMinutes} minutes with traffic were down`}
                >
                  {pct(d.uptimePercent)}
                </td>
                <td className="py-1.5 space-x-2 text-xs">
                  <a className="text-sky-300 hover:underline" href={`${base}?date=${d.date}&format=csv`}>
                    CSV
                  </a>
                  <a className="text-sky-300 hover:underline" href={`${base}?date=${d.date}&format=json`}>
                    JSON
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="mt-2 text-xs text-zinc-500">
        Uptime counts only minutes that saw requests; a minute is down when more than half of its requests failed.
      </p>
    </section>
  );
}
