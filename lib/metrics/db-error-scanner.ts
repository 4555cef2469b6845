import type Dockerode from "dockerode";
import { Writable } from "node:stream";
import type { MetricsRecorder } from "./recorder";
import type { ManagedContainer } from "./docker-stats-collector";

type Follow = { stream: NodeJS.ReadableStream & { destroy?: () => void }; ended: boolean };

/** Counts lines matching `pattern`, split across chunks; calls `onMatch` per matching line. */
export function lineMatcher(pattern: RegExp, onMatch: () => void): Writable {
  let partial = "";
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      const lines = (partial + chunk.toString("utf8")).split("\n");
      partial = lines.pop() ?? "";
      if (partial.length > 65_536) partial = "";
      for (const line of lines) if (pattern.test(line)) onMatch();
      done();
    },
  });
}

/**
 * Follows the logs of every managed container and counts lines matching the service's DB
 * connection error pattern, per second, into the recorder. `reconcile` attaches new containers and
 * drops those that stopped.
 */
export class DbErrorScanner {
  private follows = new Map<string, Follow>();

  constructor(
    private readonly docker: Dockerode,
    private readonly recorder: MetricsRecorder,
    private readonly patternFor: (service: string) => RegExp | null,
    private readonly onError: (error: unknown) => void,
  ) {}

  async reconcile(containers: ManagedContainer[]): Promise<void> {
    const wanted = new Set(containers.map((c) => c.id));
    for (const [id, f] of this.follows) {
      if (!wanted.has(id) || f.ended) {
        f.stream.destroy?.();
        this.follows.delete(id);
      }
    }
    for (const c of containers) {
      if (this.follows.has(c.id)) continue;
      const pattern = this.patternFor(c.service);
      if (!pattern) continue;
      await this.attach(c, pattern);
    }
  }

  private async attach(c: ManagedContainer, pattern: RegExp): Promise<void> {
    const stream = (await this.docker.getContainer(c.id).logs({
      follow: true,
      stdout: true,
      stderr: true,
      since: Math.floor(Date.now() / 1000),
    })) as unknown as Follow["stream"];
    const follow: Follow = { stream, ended: false };
    this.follows.set(c.id, follow);
    const count = () => this.recorder.dbErrors(c.service, c.slot, Date.now() / 1000, 1);
    this.docker.modem.demuxStream(stream, lineMatcher(pattern, count), lineMatcher(pattern, count));
    stream.on("end", () => (follow.ended = true));
    stream.on("error", (error) => {
      follow.ended = true;
      this.onError(error);
    });
  }

  get following(): number {
    return this.follows.size;
  }

  stop(): void {
    for (const f of this.follows.values()) f.stream.destroy?.();
    this.follows.clear();
  }
}
