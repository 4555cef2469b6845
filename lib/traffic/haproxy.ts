import { otherSlot, type HaproxyTraffic, type ServiceConfig, type Slot } from "@/lib/config/schema";
import { failpoint } from "@/lib/failpoint";
import { readIfExists, writeFileAtomic } from "@/lib/nginx/atomic-write";
import { routeProbe } from "@/lib/nginx/route-probe";
import { verifyThroughNginx } from "@/lib/nginx/verify-live";
import { processWide } from "@/lib/process-wide";
import {
  TrafficRefusedError,
  type ApplyResult,
  type LiveTarget,
  type ReconcileResult,
  type SplitShares,
  type TrafficDriver,
} from "./driver";
import {
  checkHaproxyConfig,
  HaproxySocketError,
  parseServersState,
  parseStat,
  runtimeCommand,
  takesTraffic,
  type ServerState,
} from "./haproxy-runtime";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Process-wide (Next loads a module once per server bundle): changes through one socket run one at a time.
const queues = processWide("haproxy-switch-queues", () => new Map<string, Promise<unknown>>());
function serialized<T>(key: string, task: () => Promise<T>): Promise<T> {
  const next = (queues.get(key) ?? Promise.resolve()).then(task, task);
  queues.set(
    key,
    next.catch(() => undefined),
  );
  return next;
}

function firstProblem(output: string): string {
  const line = output.split("\n").find((l) => /\[ALERT\]/.test(l)) ?? output.split("\n")[0] ?? "";
  return line
    .replace(/^\[ALERT\]\s*\(\d+\)\s*:\s*(config\s*:\s*)?/, "")
    .trim()
    .slice(0, 300);
}

/** The colour whose server takes traffic while the other's does not; null for none, both, or servers missing. */
export function liveSlotOf(states: ServerState[], traffic: HaproxyTraffic): Slot | null {
  const of = (slot: Slot) => states.find((s) => s.backend === traffic.backend && s.server === traffic.servers[slot]);
  const blue = of("blue");
  const green = of("green");
  if (!blue || !green) return null;
  if (takesTraffic(blue) === takesTraffic(green)) return null;
  return takesTraffic(blue) ? "blue" : "green";
}

export type HaproxyDriver = TrafficDriver & {
  /** The servers of the service's backend as HAProxy reports them now. */
  servers(): Promise<{ blue: ServerState; green: ServerState }>;
};

/**
 * HAProxy, switched through its runtime API: the target's server `ready` at weight 100, the other's at weight 0,
 * confirmed by `show servers state`; the whole server state is then written to the `server-state-file` HAProxy's
 * config loads, so a restart or reload keeps the live colour. `haproxy -c` must pass before anything changes.
 */
export function haproxyDriver(traffic: HaproxyTraffic, service: ServiceConfig): HaproxyDriver {
  const { socket, backend } = traffic;
  const name = (slot: Slot) => `${backend}/${traffic.servers[slot]}`;

  async function servers() {
    const states = parseServersState(await runtimeCommand(socket, `show servers state ${backend}`));
    const pick = (slot: Slot) => {
      const found = states.find((s) => s.backend === backend && s.server === traffic.servers[slot]);
      if (!found)
        throw new HaproxySocketError(
          `HAProxy has no server ${name(slot)} (the ${slot} slot of ${service.name}); check traffic.backend and traffic.servers`,
        );
      return found;
    };
    return { blue: pick("blue"), green: pick("green") };
  }

  /** Runs each command and fails on the first answer that is not empty (HAProxy answers a good `set` with nothing). */
  async function commands(list: string[]) {
    for (const command of list) {
      const answer = (await runtimeCommand(socket, command)).trim();
      if (answer) throw new HaproxySocketError(`HAProxy refused \`${command}\`: ${answer.slice(0, 200)}`);
    }
  }

  /** Raises the weights that grow before it lowers the others, so neither colour is ever left with none. */
  const setWeights = (weights: SplitShares) => {
    const order = (["blue", "green"] as const).slice().sort((a, b) => weights[b] - weights[a]);
    return commands(
      order.flatMap((slot) =>
        weights[slot] > 0
          ? [`set server ${name(slot)} state ready`, `set server ${name(slot)} weight ${weights[slot]}`]
          : [`set server ${name(slot)} weight 0`],
      ),
    );
  };
  const whole = (slot: Slot): SplitShares => ({ [slot]: 100, [otherSlot(slot)]: 0 }) as SplitShares;
  const setLive = (slot: Slot) => setWeights(whole(slot));
  /** The shares the servers' weights give, in percent of new requests (a draining or stopped server gets none). */
  const sharesOf = (now: { blue: ServerState; green: ServerState }): SplitShares => {
    const w = (slot: Slot) => (takesTraffic(now[slot]) ? now[slot].weight : 0);
    const total = w("blue") + w("green");
    if (total === 0) return { blue: 0, green: 0 };
    const blue = Math.round((w("blue") * 100) / total);
    return { blue, green: 100 - blue };
  };

  /** The full state, exactly as HAProxy prints it, where its config's `server-state-file` points. */
  async function persist() {
    const text = await runtimeCommand(socket, "show servers state");
    if (!/^#\s*be_id/m.test(text)) throw new HaproxySocketError("HAProxy's `show servers state` gave no state");
    writeFileAtomic(traffic.stateFile, text.endsWith("\n") ? text : `${text}\n`);
  }

  function persistedLive(): Slot | undefined {
    const text = readIfExists(traffic.stateFile);
    return (text && liveSlotOf(parseServersState(text), traffic)) || undefined;
  }

  async function apply(weights: SplitShares, says: string): Promise<ApplyResult> {
    const started = performance.now();
    const check = await checkHaproxyConfig(traffic.binary, traffic.config);
    if (!check.ok)
      throw new TrafficRefusedError(
        `haproxy -c refused ${traffic.config}, so traffic was not switched (a restart could not keep the change): ${firstProblem(check.output)}`,
        "haproxy_config_invalid",
        check.output,
      );
    let before: { blue: ServerState; green: ServerState };
    try {
      before = await servers();
    } catch (error) {
      throw new TrafficRefusedError(`${(error as Error).message}; traffic was not switched`, "haproxy_refused", "", {
        cause: error,
      });
    }
    try {
      await setWeights(weights);
    } catch (error) {
      // Back to the weights and states HAProxy had, so a half-applied change never stays.
      const restore = (["blue", "green"] as const).flatMap((s) => [
        `set server ${name(s)} weight ${before[s].weight}`,
        `set server ${name(s)} state ${before[s].adminState & 0x08 ? "drain" : before[s].adminState & 0x01 ? "maint" : "ready"}`,
      ]);
      await commands(restore).catch(() => undefined);
      throw new TrafficRefusedError(
        `${(error as Error).message}; the previous weights were restored, traffic was not switched`,
        "haproxy_refused",
        "",
        { cause: error },
      );
    }
    failpoint("switch:haproxy-applied");
    const after = await servers().catch(() => null);
    const confirmed = !!after && sharesOf(after).blue === weights.blue && sharesOf(after).green === weights.green;
    let persisted = true;
    try {
      await persist();
    } catch {
      persisted = false;
    }
    const ms = Math.round(performance.now() - started);
    return {
      confirmed: confirmed && persisted,
      summary: `HAProxy now sends ${service.name} ${says}; check + runtime API ${ms} ms${confirmed ? "" : "; show servers state did not confirm it, verifying through HAProxy"}${persisted ? "" : `; the state file ${traffic.stateFile} could not be written, so a restart of HAProxy would lose it`}`,
      detail: { backend, weights, confirmed, persisted, stateFile: traffic.stateFile },
    };
  }
  const wholeSays = (slot: Slot) => `to ${slot} (${name(slot)}, 127.0.0.1:${service.slots[slot].port})`;

  return {
    kind: "haproxy",
    label: "HAProxy",
    lbUrl: traffic.lbUrl,
    servers,
    persistedLive,
    async readLive(): Promise<LiveTarget> {
      const now = await servers();
      const slot = liveSlotOf([now.blue, now.green], traffic);
      // Never "nothing": a caller would take the colours for free to remove while HAProxy may send to both.
      if (!slot) {
        const takes = (["blue", "green"] as const).filter((s) => takesTraffic(now[s]));
        throw new HaproxySocketError(
          `HAProxy sends ${service.name} to ${takes.length === 2 ? "both blue and green" : "neither blue nor green"} (${name("blue")} weight ${now.blue.weight}, ${name("green")} weight ${now.green.weight}); Greenlight changes nothing until one colour takes all traffic`,
        );
      }
      return { slot, port: service.slots[slot].port };
    },
    checkConfig: () => checkHaproxyConfig(traffic.binary, traffic.config),
    apply: ({ slot }) => serialized(socket, () => apply(whole(slot), wholeSays(slot))),
    applySplit({ to, percent }) {
      const share = Math.max(0, Math.min(100, Math.round(percent)));
      const from = otherSlot(to);
      const says =
        share >= 100
          ? wholeSays(to)
          : share <= 0
            ? wholeSays(from)
            : `${share} % to ${to} and ${100 - share} % to ${from} (weights ${share}/${100 - share})`;
      return serialized(socket, () => apply({ [to]: share, [from]: 100 - share } as SplitShares, says));
    },
    readSplit: async () => sharesOf(await servers()),
    verify(slot, version, options = {}) {
      const entry = routeProbe(traffic.lbUrl, service.route);
      return verifyThroughNginx({
        lbUrl: entry.baseUrl,
        hostHeader: entry.hostHeader,
        healthPath: service.health.path,
        versionField: service.health.versionField,
        expectedVersion: version,
        expectedPort: service.slots[slot].port,
        deadlineMs: options.deadlineMs ?? service.health.verifyDeadlineSeconds * 1000,
        requiredSuccesses: options.requiredSuccesses,
      });
    },
    async drain(slot, { timeoutMs }) {
      const started = performance.now();
      // HAProxy's own drain: no new requests, the ones in flight finish. A slot that still takes traffic is left be.
      const now = await servers();
      if (takesTraffic(now[slot])) return { drained: true, waitedMs: 0, remaining: 0 };
      await commands([`set server ${name(slot)} state drain`]);
      for (;;) {
        const row = parseStat(await runtimeCommand(socket, "show stat")).find(
          (r) => r.pxname === backend && r.svname === traffic.servers[slot],
        );
        const remaining = Number(row?.scur ?? 0);
        const waitedMs = performance.now() - started;
        if (remaining === 0) return { drained: true, waitedMs, remaining };
        if (waitedMs >= timeoutMs) return { drained: false, waitedMs, remaining };
        await sleep(50);
      }
    },
    accessLog: () => (traffic.logPort ? { format: "haproxy-udp", port: traffic.logPort } : null),
    async reconcile(): Promise<ReconcileResult> {
      const expected = persistedLive() ?? null;
      const now = await servers();
      const live = liveSlotOf([now.blue, now.green], traffic);
      if (!expected) return { state: "unknown", live, expected };
      if (live === expected) return { state: "in_sync", live, expected };
      await serialized(socket, async () => {
        await setLive(expected);
        await persist();
      });
      return { state: "reapplied", live, expected };
    },
  };
}
