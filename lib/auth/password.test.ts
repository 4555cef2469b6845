import { describe, expect, it } from "vitest";
import { DEFAULT_SCRYPT, hashPassword, needsRehash, verifyPassword } from "./password";

describe("password hashing", () => {
  it("round-trips and rejects a wrong password", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^scrypt\$32768\$8\$3\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{86}$/);
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse batterY", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
  });

  it("salts every hash", async () => {
    const [a, b] = await Promise.all([hashPassword("same password"), hashPassword("same password")]);
    expect(a).not.toBe(b);
  });

  it("reads the parameters from the hash string", async () => {
    const weak = await hashPassword("old password", { N: 1024, r: 8, p: 1 });
    expect(weak.startsWith("scrypt$1024$8$1$")).toBe(true);
    expect(await verifyPassword("old password", weak)).toBe(true);
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash(await hashPassword("x", DEFAULT_SCRYPT))).toBe(false);
    // The old default (one pass) is below OWASP's recommended cost.
    expect(needsRehash(await hashPassword("x", { N: 2 ** 15, r: 8, p: 1 }))).toBe(true);
  });

  it("never matches a malformed or oversized hash", async () => {
    const good = await hashPassword("pw-123456");
    const parts = good.split("$");
    expect(await verifyPassword("pw-123456", "plaintext")).toBe(false);
    expect(await verifyPassword("pw-123456", ["bcrypt", ...parts.slice(1)].join("$"))).toBe(false);
    expect(await verifyPassword("pw-123456", ["scrypt", String(2 ** 24), ...parts.slice(2)].join("$"))).toBe(false);
    expect(await verifyPassword("pw-123456", ["scrypt", "1000", ...parts.slice(2)].join("$"))).toBe(false);
  });
});
