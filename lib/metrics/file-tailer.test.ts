import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { FileTailer } from "./file-tailer";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-e-tail-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function tailer(file: string, from: "start" | "end" = "end", chunkBytes?: number) {
  const lines: string[] = [];
  const errors: unknown[] = [];
  const t = new FileTailer({
    file,
    from,
    chunkBytes,
    onLines: (l) => lines.push(...l),
    onError: (e) => errors.push(e),
  });
  return { t, lines, errors };
}

describe("FileTailer", () => {
  it("starts at the end, delivers whole lines only, and completes a partial last line", async () => {
    const file = path.join(dir, "a.log");
    fs.writeFileSync(file, "old-1\nold-2\n");
    const { t, lines, errors } = tailer(file);
    await t.poll();
    fs.appendFileSync(file, "new-1\nnew-");
    await t.poll();
    expect(lines).toEqual(["new-1"]);
    fs.appendFileSync(file, "2\nnew-3\n");
    await t.poll();
    expect(lines).toEqual(["new-1", "new-2", "new-3"]);
    expect(errors).toEqual([]);
    await t.stop();
  });

  it("reads across chunk boundaries, including multi-byte characters split between chunks", async () => {
    const file = path.join(dir, "b.log");
    const expected = Array.from({ length: 500 }, (_, i) => `line ${i} é✓ ${"x".repeat(i % 37)}`);
    fs.writeFileSync(file, expected.join("\n") + "\n");
    const { t, lines } = tailer(file, "start", 64);
    await t.poll();
    expect(lines).toEqual(expected);
    await t.stop();
  });

  it("follows a rename rotation: finishes the old file, then reads the new one from its start", async () => {
    const file = path.join(dir, "c.log");
    fs.writeFileSync(file, "");
    const { t, lines, errors } = tailer(file);
    await t.poll();
    fs.appendFileSync(file, "1\n2\n");
    await t.poll();
    fs.renameSync(file, `${file}.1`);
    fs.appendFileSync(`${file}.1`, "3\n"); // written before the writer reopened
    await t.poll();
    fs.writeFileSync(file, "4\n");
    fs.appendFileSync(`${file}.1`, "3b\n");
    await t.poll();
    fs.appendFileSync(file, "5\n");
    await t.poll();
    expect(lines.sort()).toEqual(["1", "2", "3", "3b", "4", "5"]);
    expect(errors).toEqual([]);
    await t.stop();
  });

  it("restarts from the beginning after an in-place truncation", async () => {
    const file = path.join(dir, "d.log");
    fs.writeFileSync(file, "");
    const { t, lines } = tailer(file);
    await t.poll();
    fs.appendFileSync(file, "aaaaaaaaaa\n");
    await t.poll();
    fs.truncateSync(file, 0);
    fs.appendFileSync(file, "b\n");
    await t.poll();
    expect(lines).toEqual(["aaaaaaaaaa", "b"]);
    await t.stop();
  });

  it("reports a missing file as an error, then picks the file up from its start when it appears", async () => {
    const file = path.join(dir, "e.log");
    const { t, lines, errors } = tailer(file);
    await t.poll();
    expect(errors).toHaveLength(1);
    expect((errors[0] as NodeJS.ErrnoException).code).toBe("ENOENT");
    fs.writeFileSync(file, "first\n");
    await t.poll();
    expect(lines).toEqual(["first"]);
    await t.stop();
  });

  it("follows the file on its own timer", async () => {
    const file = path.join(dir, "f.log");
    fs.writeFileSync(file, "");
    const { t, lines } = tailer(file);
    t.start();
    await new Promise((r) => setTimeout(r, 300));
    fs.appendFileSync(file, "timed\n");
    for (let i = 0; i < 100 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(lines).toEqual(["timed"]);
    await t.stop();
  });
});
