import { serviceRoute } from "@/lib/http/console-route";
import { queryWindow } from "@/lib/metrics/query-window";
import { boardCsv, boardCsvFilename } from "@/lib/views/metrics-export";
import { queryRange } from "@/lib/views/metrics-range";
import { parseRange, parseWindow } from "@/lib/views/metrics-window";

export const dynamic = "force-dynamic";

/**
 * The board's shown range as a CSV download: `?window=1h` (ending now) or `?from=&to=` (epoch seconds), the same
 * buckets the board draws, one row per bucket and each colour's figures and status-class counts in columns.
 */
export const GET = serviceRoute((req, service, ctx) => {
  const q = new URL(req.url).searchParams;
  const range = parseRange(q.get("from") ?? undefined, q.get("to") ?? undefined);
  const data = range
    ? queryRange({ db: ctx.db, service, ...range })
    : queryWindow({ db: ctx.db, service, window: parseWindow(q.get("window")) });
  return new Response(boardCsv(data.series, data.stepSeconds), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${boardCsvFilename(service, data.from, data.to)}"`,
      "cache-control": "no-store",
    },
  });
});
