#!/usr/bin/env node
// Greenlight's command line for CI: plain Node ESM with fetch, so it runs without a build or dependencies.
import { parseArgs } from "node:util";

const USAGE = `Usage:
  greenlight deploy --service <name> --image <repo:tag> [--version <v>] [--auto-promote] [--wait]
  greenlight status <deployment-id>
  greenlight promote <deployment-id> [--wait]
  greenlight rollback --service <name> --reason "<why>" [--wait]

Options:
  --url <url>          Greenlight's address (default $GREENLIGHT_URL or http://127.0.0.1:3100)
  --token-env <NAME>   environment variable holding the API token (default GREENLIGHT_TOKEN)
  --timeout <seconds>  give up following after this long (default 1800)

deploy follows the phases as they pass. It exits 0 when the deployment succeeds, or when it reaches the
promotion gate without --wait (--wait keeps following until someone promotes it); 1 when it fails, is
aborted or rolled back; 2 for bad usage or a refused request; 3 when --timeout passes first.`;

const FINAL_BAD = new Set(["failed", "aborted", "expired", "rolled_back"]);
const BEFORE_SWITCH = new Set(["pull", "preflight", "backup", "start_target", "migrate", "health", "smoke", "gate"]);
const REQUEST_DONE = new Set(["executed", "failed", "rejected", "expired", "superseded"]);

class CliError extends Error {
  constructor(message, code = 2) {
    super(message);
    this.exitCode = code;
  }
}

function options(argv) {
  if (argv.some((a) => a === "--token" || a.startsWith("--token="))) throw new CliError("Tokens are read from the environment only (see --token-env), never from the command line.");
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      service: { type: "string" },
      image: { type: "string" },
      version: { type: "string" },
      reason: { type: "string" },
      "auto-promote": { type: "boolean", default: false },
      wait: { type: "boolean", default: false },
      url: { type: "string" },
      "token-env": { type: "string", default: "GREENLIGHT_TOKEN" },
      timeout: { type: "string", default: "1800" },
      interval: { type: "string", default: "1000" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const timeoutS = Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new CliError("--timeout must be a positive number of seconds.");
  return { ...values, positionals, timeoutMs: timeoutS * 1000, intervalMs: Math.max(100, Number(values.interval) || 1000) };
}

function client(opts) {
  const base = (opts.url ?? process.env.GREENLIGHT_URL ?? "http://127.0.0.1:3100").replace(/\/$/, "");
  const token = process.env[opts["token-env"]];
  if (!token) throw new CliError(`Set ${opts["token-env"]} to an API token (an admin creates one in Greenlight).`);
  return async function request(method, path, body) {
    let res;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: "application/json", ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(120_000),
      });
    } catch (error) {
      throw new CliError(`Cannot reach Greenlight at ${base}: ${error.cause?.code ?? error.message}`);
    }
    const data = await res.json().catch(() => null);
    if (!res.ok) {
      const e = data?.error;
      const holder = e?.holder ? ` (lock held by ${e.holder.holder}: ${e.holder.reason})` : "";
      throw new CliError(`${res.status} ${e?.code ?? res.statusText}: ${e?.message ?? "no details"}${holder}`);
    }
    return { status: res.status, data };
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const seconds = (s) => (s.endedAt && s.startedAt ? ` (${((s.endedAt - s.startedAt) / 1000).toFixed(1)} s)` : "");
const MARK = { passed: "ok  ", warning: "warn", failed: "FAIL", skipped: "skip", running: "... " };

/**
 * A pull under way as one line: rewritten in place on a terminal, a few milestones (25, 50, 75, 100 %) elsewhere.
 * Called with each poll's `pull` (null once no pull runs), before the phase lines, so it ends its line first.
 */
function pullProgressPrinter(out = process.stdout) {
  let shown = false;
  let milestone = 0;
  return (pull) => {
    if (!pull) {
      if (shown && out.isTTY) out.write("\n");
      shown = false;
      milestone = 0;
      return;
    }
    const mb = (n) => (n / 1e6).toFixed(1);
    const line = `  pulling ${pull.image}: ${pull.percent}% (${mb(pull.done)} of ${mb(pull.total)} MB, ${pull.layers.length} layer(s))`;
    if (out.isTTY) {
      out.write(`\r${line}\x1b[K`);
      shown = true;
    } else if (Math.floor(pull.percent / 25) * 25 > milestone || (!shown && pull.total > 0)) {
      milestone = Math.floor(pull.percent / 25) * 25;
      shown = true;
      out.write(`${line}\n`);
    }
  };
}

/** Polls the deployment every interval, printing each phase once as it starts and once as it ends. */
async function follow(request, id, opts, { throughGate, quietDone = false }) {
  const seen = new Map();
  const deadline = Date.now() + opts.timeoutMs;
  let gateShown = false;
  const showPull = pullProgressPrinter();
  for (;;) {
    const { data } = await request("GET", `/api/v1/deployments/${encodeURIComponent(id)}`);
    showPull(data.pull ?? null);
    if (quietDone && seen.size === 0) for (const step of data.steps) if (BEFORE_SWITCH.has(step.phase)) seen.set(`${step.id}`, step.status);
    for (const step of data.steps) {
      const key = `${step.id}`;
      if (seen.get(key) === step.status) continue;
      if (step.status !== "running" || !seen.has(key)) console.log(`  ${MARK[step.status] ?? step.status} ${step.phase}${seconds(step)}${step.summary ? `  ${step.summary}` : ""}`);
      seen.set(key, step.status);
    }
    const dep = data.deployment;
    if (dep.status === "succeeded") return done(0, `Deployment ${id} succeeded: ${dep.service} ${dep.version} serves from ${dep.toSlot}.`);
    if (FINAL_BAD.has(dep.status)) return done(1, `Deployment ${id} ${dep.status.replace("_", " ")}: ${dep.error ?? dep.rollbackReason ?? "no reason recorded"}`);
    if (dep.status === "awaiting_promotion") {
      if (!throughGate) return done(0, `Deployment ${id} is ready and waits for promotion: greenlight promote ${id}`);
      if (!gateShown) console.log(`  waiting for someone to promote ${id}...`);
      gateShown = true;
    }
    if (Date.now() > deadline) return done(3, `Gave up following ${id} after ${opts.timeoutMs / 1000} s; it is ${dep.status} in ${dep.phase}.`);
    await sleep(opts.intervalMs);
  }
}

function done(code, message) {
  (code === 0 ? console.log : console.error)(message);
  return code;
}

const commands = {
  async deploy(opts) {
    if (!opts.service || !opts.image) throw new CliError("deploy needs --service and --image.");
    const request = client(opts);
    const body = { image: opts.image, ...(opts.version ? { version: opts.version } : {}), ...(opts["auto-promote"] ? { autoPromote: true } : {}) };
    const { data } = await request("POST", `/api/v1/services/${encodeURIComponent(opts.service)}/deployments`, body);
    if (data.noop) return done(0, data.message);
    console.log(`Deployment ${data.id}: ${opts.service} ${data.version} to ${data.toSlot}`);
    return follow(request, data.id, opts, { throughGate: opts.wait });
  },
  async status(opts) {
    const id = opts.positionals[1];
    if (!id) throw new CliError("status needs a deployment id.");
    const { data } = await client(opts)("GET", `/api/v1/deployments/${encodeURIComponent(id)}`);
    const dep = data.deployment;
    console.log(`${dep.id} ${dep.service} ${dep.version}: ${dep.status} (phase ${dep.phase})${dep.error ? ` - ${dep.error}` : ""}`);
    for (const s of data.steps) console.log(`  ${MARK[s.status] ?? s.status} ${s.phase}${seconds(s)}${s.summary ? `  ${s.summary}` : ""}`);
    return FINAL_BAD.has(dep.status) ? 1 : 0;
  },
  async promote(opts) {
    const id = opts.positionals[1];
    if (!id) throw new CliError("promote needs a deployment id.");
    const request = client(opts);
    await request("POST", `/api/v1/deployments/${encodeURIComponent(id)}/promote`);
    console.log(`Promoted ${id}; switching traffic.`);
    // The phases before the gate were already shown by deploy; only what follows the promotion is news.
    return opts.wait ? follow(request, id, opts, { throughGate: true, quietDone: true }) : 0;
  },
  async rollback(opts) {
    if (!opts.service || !opts.reason) throw new CliError('rollback needs --service and --reason "why".');
    const request = client(opts);
    const { data } = await request("POST", `/api/v1/services/${encodeURIComponent(opts.service)}/rollback-requests`, { reason: opts.reason });
    const id = data.request.id;
    console.log(`Rollback request ${id} for ${opts.service} waits for approval by a release manager or admin (expires ${new Date(data.request.expiresAt).toISOString()}).`);
    if (!opts.wait) return 0;
    const deadline = Date.now() + opts.timeoutMs;
    while (Date.now() < deadline) {
      await sleep(opts.intervalMs);
      const list = await request("GET", `/api/v1/services/${encodeURIComponent(opts.service)}/rollback-requests`);
      const req = list.data.requests.find((r) => r.id === id);
      if (req && REQUEST_DONE.has(req.status))
        return done(req.status === "executed" ? 0 : 1, `Rollback request ${id} ${req.status}${req.decidedBy ? ` by ${req.decidedBy}` : ""}: ${req.result ?? req.decisionReason ?? ""}`);
    }
    return done(3, `Gave up waiting for a decision on ${id}.`);
  },
};

async function main(argv) {
  const opts = options(argv);
  const command = opts.positionals[0];
  if (opts.help || !command) return done(command || opts.help ? 0 : 2, USAGE);
  const run = commands[command];
  if (!run) throw new CliError(`Unknown command "${command}".\n\n${USAGE}`);
  return run(opts);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof CliError ? error.message : `greenlight: ${error.message}`);
    process.exit(error instanceof CliError ? error.exitCode : 2);
  },
);
