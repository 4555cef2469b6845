import { checkRoleForRequest } from "@/lib/auth/request-user";
import { serviceRoute } from "@/lib/http/console-route";
import { metricsStreamResponse } from "@/lib/views/metrics-stream";
import { parseWindow } from "@/lib/views/metrics-window";

export const dynamic = "force-dynamic";

/** Live metrics of one service: the window now, then each flushed point, as Server-Sent Events. */
export const GET = serviceRoute((req, service, ctx) =>
  metricsStreamResponse({
    db: ctx.db,
    service,
    window: parseWindow(new URL(req.url).searchParams.get("window")),
    signal: req.signal,
    authorize: () => checkRoleForRequest(req, "viewer"),
  }),
);
