import { describe, expect, it } from "vitest";
import { serviceSchema } from "@/lib/config/schema";
import { bodyExcerpt, keptSmokeResults } from "./app-answer";

const SECRET = "tok-9f8e7d6c5b4a";
const service = serviceSchema.parse({
  name: "excerpt",
  image: "excerpt",
  slots: { blue: { port: 41001 }, green: { port: 41002 } },
  container: { env: { API_TOKEN: { value: SECRET } } },
});

describe("the kept excerpt of an answer", () => {
  it("is the first 2 KB of the body, marked as cut", () => {
    const text = "x".repeat(5000);
    expect(bodyExcerpt(service, text)).toEqual({ body: "x".repeat(2048), bodyTruncated: true });
    expect(bodyExcerpt(service, "short")).toEqual({ body: "short", bodyTruncated: false });
    expect(bodyExcerpt(service, undefined)).toEqual({ body: "", bodyTruncated: false });
  });

  it("never holds a secret, not even half of one that straddles the cut", () => {
    const text = `${"a".repeat(2040)}${SECRET}${"b".repeat(100)}`;
    const { body } = bodyExcerpt(service, text);
    expect(body).not.toContain(SECRET.slice(0, 4));
    expect(body.startsWith("a".repeat(2040))).toBe(true);
    expect(bodyExcerpt(service, `{"token":"${SECRET}"}`).body).toBe('{"token":"••••••"}');
  });

  it("cuts between characters, never inside one", () => {
    const { body } = bodyExcerpt(service, `${"a".repeat(2047)}é and more`);
    expect(body).toBe("a".repeat(2047));
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(2048);
  });

  it("smoke results keep a failed answer's excerpt and drop the raw body", () => {
    const kept = keptSmokeResults(service, [
      { name: "ok", status: 200 },
      { name: "bad", status: 500, text: `error: ${SECRET}` },
    ]);
    expect(kept).toEqual([
      { name: "ok", status: 200 },
      { name: "bad", status: 500, answer: { status: 500, body: "error: ••••••", bodyTruncated: false } },
    ]);
  });
});
