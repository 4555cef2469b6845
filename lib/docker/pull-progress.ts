/** One message of the engine's pull stream (`docker pull` JSON lines). */
export type PullMessage = {
  id?: string;
  status?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
};

export type LayerProgress = { id: string; status: string; current: number; total: number };
export type PullProgress = {
  image: string;
  layers: LayerProgress[];
  done: number;
  total: number;
  percent: number;
  status: string;
};

const FINISHED = /^(Download complete|Pull complete|Already exists|Verifying Checksum)$/;

/** Folds pull messages into per-layer bytes and an overall percent; pure, so a test can feed it exact messages. */
export class PullTracker {
  private readonly layers = new Map<string, LayerProgress>();
  private last = "Pulling";

  constructor(private readonly image: string) {}

  /** Returns true when the downloaded bytes or a layer's state moved (the stall timer's notion of progress). */
  add(message: PullMessage): boolean {
    if (message.status && !message.id) this.last = message.status;
    if (!message.id || !message.status || /^(Pulling from|Digest:|Status:)/.test(message.status)) return false;
    const layer = this.layers.get(message.id) ?? { id: message.id, status: "", current: 0, total: 0 };
    const before = `${layer.status}/${layer.current}`;
    const detail = message.progressDetail ?? {};
    if (message.status === "Downloading") {
      if (detail.total && detail.total > 0) layer.total = detail.total;
      if (typeof detail.current === "number") layer.current = Math.min(detail.current, layer.total || detail.current);
    } else if (FINISHED.test(message.status)) {
      layer.current = layer.total;
    }
    // "Retrying in N seconds" says nothing moved: it is not progress.
    if (!/^Retrying/.test(message.status)) layer.status = message.status;
    this.layers.set(message.id, layer);
    return !/^Retrying/.test(message.status) && before !== `${layer.status}/${layer.current}`;
  }

  snapshot(): PullProgress {
    const layers = [...this.layers.values()].map((l) => ({ ...l }));
    const total = layers.reduce((n, l) => n + l.total, 0);
    const done = layers.reduce((n, l) => n + l.current, 0);
    const complete = layers.length > 0 && layers.every((l) => /^(Pull complete|Already exists)$/.test(l.status));
    const percent = complete ? 100 : total > 0 ? Math.min(99, Math.floor((done / total) * 100)) : 0;
    return { image: this.image, layers, done, total, percent, status: complete ? "complete" : this.last };
  }
}
