import { serviceRoute } from "@/lib/http/console-route";
import { json } from "@/lib/http/respond";
import { ValidationError } from "@/lib/errors";
import { queryWindow } from "@/lib/metrics/query-window";
import { queryRange } from "@/lib/views/metrics-range";
import { parseWindow } from "@/lib/views/metrics-window";

export const dynamic = "force-dynamic";

const seconds = (value: string, name: string) => {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new ValidationError(`${name} must be epoch seconds.`);
  return n;
};

/** A service's chart series: `?window=1h` (ending now) or `?from=&to=` (epoch seconds). */
export const GET = serviceRoute((req, service, ctx) => {
  const q = new URL(req.url).searchParams;
  const from = q.get("from");
  const to = q.get("to");
  const body =
    from !== null || to !== null
      ? queryRange({
          db: ctx.db,
          service,
          from: seconds(from ?? "", "from"),
          to: to === null ? Date.now() / 1000 : seconds(to, "to"),
        })
      : queryWindow({ db: ctx.db, service, window: parseWindow(q.get("window")) });
  return json(body);
});
