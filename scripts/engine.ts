/**
 * Greenlight's engine from the command line, on GREENLIGHT_CONFIG and GREENLIGHT_DATA_DIR, without the web
 * console: used by the demo to install the first release and by the crash-recovery tests as "a real process".
 *
 *   tsx scripts/engine.ts deploy <service> <image> [--version V] [--auto-promote] [--by NAME]
 *   tsx scripts/engine.ts promote <deployment-id> [--by NAME]
 *   tsx scripts/engine.ts rollback <deployment-id> --reason TEXT [--by NAME]
 *   tsx scripts/engine.ts recover
 *   tsx scripts/engine.ts status [<service>]
 *   tsx scripts/engine.ts nginx-routes      (what a user's own nginx must contain: see the README's include contract)
 */
import { parseArgs } from "node:util";
import { getEngineContext } from "@/lib/deploy/engine";
import { startDeployment } from "@/lib/deploy/start-deployment";
import { promoteDeployment } from "@/lib/deploy/promote";
import { rollbackDeployment } from "@/lib/deploy/rollback";
import { recoverDeployments } from "@/lib/deploy/recovery";
import { runningPipelines } from "@/lib/deploy/running";
import { getDeployment, listDeployments } from "@/lib/deploy/store";
import { deployBus } from "@/lib/deploy/bus";
import { ACCESS_LOG_FORMAT } from "@/lib/nginx/render-main-config";
import { renderRoutes } from "@/lib/nginx/render-routes";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    version: { type: "string" },
    "auto-promote": { type: "boolean", default: false },
    by: { type: "string", default: process.env.USER ?? "cli" },
    reason: { type: "string" },
  },
});

async function idle(): Promise<void> {
  while (runningPipelines().size > 0) await new Promise((r) => deployBus().once("pipeline-idle", r));
}

function show(id: string) {
  const d = getDeployment(getEngineContext().db, id);
  console.log(
    JSON.stringify({
      id: d.id,
      service: d.service,
      version: d.version,
      status: d.status,
      phase: d.phase,
      toSlot: d.toSlot,
      error: d.error,
    }),
  );
  return d;
}

async function main(): Promise<number> {
  const ctx = getEngineContext();
  const [command, ...args] = positionals;
  switch (command) {
    case "deploy": {
      const [service, image] = args;
      if (!service || !image) throw new Error("usage: deploy <service> <image>");
      const result = await startDeployment(
        ctx,
        { service, image, version: values.version, autoPromote: values["auto-promote"] },
        values.by!,
      );
      if (result.noop) {
        console.log(result.message);
        return 0;
      }
      await result.pipeline;
      const d = show(result.deploymentId);
      return d.status === "succeeded" || d.status === "awaiting_promotion" ? 0 : 1;
    }
    case "promote": {
      await promoteDeployment(ctx, args[0] ?? "", values.by!).pipeline;
      return show(args[0]!).status === "succeeded" ? 0 : 1;
    }
    case "rollback": {
      if (!values.reason) throw new Error("a rollback needs --reason");
      await rollbackDeployment(ctx, { deploymentId: args[0] ?? "", reason: values.reason, by: values.by! });
      show(args[0]!);
      return 0;
    }
    case "recover": {
      const actions = await recoverDeployments(ctx);
      await idle();
      console.log(JSON.stringify(actions));
      return actions.some((a) => a.action === "error") ? 1 : 0;
    }
    case "status": {
      for (const d of listDeployments(ctx.db, args[0], 10))
        console.log(`${d.id} ${d.service} ${d.version} ${d.status} ${d.phase}`);
      return 0;
    }
    case "nginx-routes": {
      const { nginx, services } = ctx.config;
      const lb = new URL(nginx.lbUrl);
      const port = Number(lb.port || (lb.protocol === "https:" ? 443 : 80));
      console.log(
        [
          `# Inside http { } of your nginx. Greenlight writes ${nginx.upstreamDir}/<service>.conf (upstream greenlight_<service>).`,
          `log_format greenlight_json escape=json '${ACCESS_LOG_FORMAT}';`,
          `access_log ${nginx.accessLog ?? "/var/log/nginx/greenlight.json.log"} greenlight_json;`,
          `include ${nginx.upstreamDir}/*.conf;`,
          ``,
          ...renderRoutes(services, { host: lb.hostname, port }),
        ].join("\n"),
      );
      return 0;
    }
    default:
      throw new Error("commands: deploy, promote, rollback, recover, status, nginx-routes");
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`greenlight: ${error.message}`);
    process.exit(1);
  },
);
