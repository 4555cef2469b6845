import { describe, expect, it } from "vitest";
import { demuxLogs, demuxLogsToText } from "./demux-logs";

function frame(type: number, text: string): Buffer {
  const payload = Buffer.from(text, "utf8");
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe("demuxLogs", () => {
  it("splits stdout and stderr frames in order", () => {
    const body = Buffer.concat([frame(1, "started on 3000\n"), frame(2, "warn: slow\n"), frame(1, "ok\n")]);
    expect(demuxLogs(body)).toEqual([
      { stream: "stdout", text: "started on 3000\n" },
      { stream: "stderr", text: "warn: slow\n" },
      { stream: "stdout", text: "ok\n" },
    ]);
    expect(demuxLogsToText(body)).toBe("started on 3000\nwarn: slow\nok\n");
  });
  it("keeps a multi-byte character split across frames intact", () => {
    const euro = Buffer.from("€", "utf8");
    const a = Buffer.concat([Buffer.from([1, 0, 0, 0, 0, 0, 0, 2]), euro.subarray(0, 2)]);
    const b = Buffer.concat([Buffer.from([1, 0, 0, 0, 0, 0, 0, 1]), euro.subarray(2)]);
    expect(demuxLogsToText(Buffer.concat([a, b]))).toBe("€");
  });
  it("returns TTY output unchanged and empty output as nothing", () => {
    expect(demuxLogsToText(Buffer.from("plain tty text\n"))).toBe("plain tty text\n");
    expect(demuxLogs(Buffer.alloc(0))).toEqual([]);
  });
  it("tolerates a truncated last frame", () => {
    const body = Buffer.concat([frame(1, "a\n"), frame(2, "bcdef").subarray(0, 10)]);
    expect(demuxLogsToText(body)).toBe("a\nbc");
  });
});
