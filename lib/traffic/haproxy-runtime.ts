import { execFile } from "node:child_process";
import net from "node:net";
import { AppError } from "@/lib/errors";

/** HAProxy's runtime API could not be reached or gave no complete answer. */
export class HaproxySocketError extends AppError {
  override readonly code = "haproxy_socket_failed";
}

/**
 * One command on HAProxy's runtime API (a Unix stream socket, non-interactive mode): the command and a newline go
 * out, HAProxy answers and closes the connection. Several commands may be joined with `;`.
 */
export function runtimeCommand(socket: string, command: string, timeoutMs = 3000): Promise<string> {
  if (/[\r\n]/.test(command)) throw new HaproxySocketError("a runtime API command must be one line");
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const conn = net.createConnection({ path: socket });
    const timer = setTimeout(
      () =>
        conn.destroy(
          new HaproxySocketError(`HAProxy's runtime API at ${socket} gave no answer within ${timeoutMs} ms`),
        ),
      timeoutMs,
    );
    conn.on("connect", () => conn.end(`${command}\n`));
    conn.on("data", (chunk: Buffer) => chunks.push(chunk));
    conn.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error instanceof HaproxySocketError
          ? error
          : new HaproxySocketError(
              `HAProxy's runtime API at ${socket} is not reachable (${error.code ?? error.message})`,
              {
                cause: error,
              },
            ),
      );
    });
    conn.on("close", (hadError) => {
      clearTimeout(timer);
      if (!hadError) resolve(Buffer.concat(chunks).toString("utf8"));
    });
  });
}

/** A server as `show servers state` reports it. */
export type ServerState = {
  backend: string;
  server: string;
  address: string;
  port: number;
  /** 0 stopped, 1 starting, 2 running, 3 stopping. */
  opState: number;
  /** Bit field: 0x01/0x02/0x04/0x20/0x40 maintenance of some origin, 0x08/0x10 drain. */
  adminState: number;
  weight: number;
};

const MAINT = 0x01 | 0x02 | 0x04 | 0x20 | 0x40;
const DRAIN = 0x08 | 0x10;
export const inMaintenance = (s: ServerState) => (s.adminState & MAINT) !== 0;
export const draining = (s: ServerState) => (s.adminState & DRAIN) !== 0;
/** Takes new requests: running, weighted, neither in maintenance nor draining. */
export const takesTraffic = (s: ServerState) => s.weight > 0 && !inMaintenance(s) && !draining(s) && s.opState !== 0;

/**
 * Parses `show servers state` (and the server-state file, which is the same text): a version line, a `#` header
 * naming the columns, then one space-separated line per server.
 */
export function parseServersState(text: string): ServerState[] {
  const lines = text.split("\n").map((l) => l.trim());
  const header = lines.find((l) => l.startsWith("#"));
  if (!header) return [];
  const columns = header.replace(/^#\s*/, "").split(/\s+/);
  const at = (name: string) => columns.indexOf(name);
  const [be, srv, addr, port, op, admin, weight] = [
    at("be_name"),
    at("srv_name"),
    at("srv_addr"),
    at("srv_port"),
    at("srv_op_state"),
    at("srv_admin_state"),
    at("srv_uweight"),
  ];
  if ([be, srv, op, admin, weight].some((i) => i < 0)) return [];
  return lines
    .filter((l) => l && !l.startsWith("#") && /\s/.test(l))
    .map((l) => l.split(/\s+/))
    .map((f) => ({
      backend: f[be]!,
      server: f[srv]!,
      address: addr >= 0 ? f[addr]! : "",
      port: port >= 0 ? Number(f[port]) : 0,
      opState: Number(f[op]),
      adminState: Number(f[admin]),
      weight: Number(f[weight]),
    }));
}

/** Parses `show stat` CSV into rows keyed by its header (`pxname`, `svname`, `scur`, …). */
export function parseStat(csv: string): Array<Record<string, string>> {
  const lines = csv.split("\n").filter((l) => l.trim());
  const header = lines.find((l) => l.startsWith("#"));
  if (!header) return [];
  const columns = header.replace(/^#\s*/, "").split(",");
  return lines
    .filter((l) => !l.startsWith("#"))
    .map((l) => {
      const fields = l.split(",");
      return Object.fromEntries(columns.map((c, i) => [c, fields[i] ?? ""]));
    });
}

/** `haproxy -c -f <config>`: HAProxy's own verdict on the file a restart or reload would load. */
export function checkHaproxyConfig(binary: string, config: string): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    execFile(binary, ["-c", "-f", config], { timeout: 15_000 }, (error, stdout, stderr) => {
      resolve({ ok: !error, output: `${stdout}${stderr}`.trim() || (error ? error.message : "") });
    });
  });
}
