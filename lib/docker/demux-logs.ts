export type LogFrame = { stream: "stdout" | "stderr"; text: string };

/**
 * Splits Docker's multiplexed log body (non-TTY containers) into frames: each frame is an 8-byte
 * header (stream type, three zero bytes, big-endian payload length) then the payload.
 * A body that does not start with such a header (a TTY container) is returned as one stdout frame.
 */
export function demuxLogs(body: Buffer): LogFrame[] {
  return rawFrames(body).map((f) => ({ stream: f.stream, text: f.payload.toString("utf8") }));
}

function rawFrames(body: Buffer): Array<{ stream: LogFrame["stream"]; payload: Buffer }> {
  if (!looksMultiplexed(body)) return body.length ? [{ stream: "stdout", payload: body }] : [];
  const frames: Array<{ stream: LogFrame["stream"]; payload: Buffer }> = [];
  let offset = 0;
  while (offset + 8 <= body.length) {
    const type = body[offset];
    const size = body.readUInt32BE(offset + 4);
    const start = offset + 8;
    const end = Math.min(start + size, body.length);
    frames.push({ stream: type === 2 ? "stderr" : "stdout", payload: body.subarray(start, end) });
    offset = end;
  }
  return frames;
}

function looksMultiplexed(body: Buffer): boolean {
  if (body.length < 8) return false;
  const type = body[0];
  return (type === 0 || type === 1 || type === 2) && body[1] === 0 && body[2] === 0 && body[3] === 0;
}

/** The frames as plain text in the order Docker recorded them (decoded once, so no character is split). */
export function demuxLogsToText(body: Buffer): string {
  return Buffer.concat(rawFrames(body).map((f) => f.payload)).toString("utf8");
}
