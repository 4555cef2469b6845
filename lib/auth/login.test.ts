import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UnauthorizedError } from "@/lib/errors";
import { createUser } from "./create-user";
import { login, WRONG_CREDENTIALS } from "./login";
import { LOGIN_LIMITS, TooManyAttemptsError } from "./rate-limit";
import { eq } from "drizzle-orm";
import { users } from "@/lib/db/schema";
import { hashPassword } from "./password";
import { userFromToken } from "./sessions";
import { tempDb } from "./test-db";

const t = tempDb();
const { db } = t;
afterAll(() => t.close());
beforeAll(async () => {
  await createUser(db, { username: "rm", password: "rm-password", role: "release_manager" });
  await createUser(db, { username: "viewer", password: "viewer-password", role: "viewer" });
});

const MIN = 60 * 1000;

describe("login", () => {
  it("issues a new token on every sign-in and ends the old cookie's session", async () => {
    const first = await login(db, { username: "RM", password: "rm-password", ip: "10.0.0.1" });
    expect(first.user).toMatchObject({ username: "rm", role: "release_manager" });
    const second = await login(db, {
      username: "rm",
      password: "rm-password",
      ip: "10.0.0.1",
      previousToken: first.token,
    });
    expect(second.token).not.toBe(first.token);
    expect(userFromToken(db, first.token)).toBeNull();
    expect(userFromToken(db, second.token)).toMatchObject({ username: "rm" });
  });

  it("upgrades a hash made with the old, weaker scrypt cost at the next correct sign-in", async () => {
    await createUser(db, { username: "old-hash", password: "old-hash-password", role: "viewer" });
    db.update(users)
      .set({ passwordHash: await hashPassword("old-hash-password", { N: 2 ** 15, r: 8, p: 1 }) })
      .where(eq(users.username, "old-hash"))
      .run();
    await login(db, { username: "old-hash", password: "old-hash-password", ip: "10.0.0.3" });
    const stored = db.select({ h: users.passwordHash }).from(users).where(eq(users.username, "old-hash")).get()!.h;
    expect(stored.startsWith("scrypt$32768$8$3$")).toBe(true);
    await expect(
      login(db, { username: "old-hash", password: "old-hash-password", ip: "10.0.0.3" }),
    ).resolves.toBeTruthy();
  });

  it("says only 'wrong username or password' for a bad password or an unknown user", async () => {
    await expect(login(db, { username: "rm", password: "nope-nope", ip: "10.0.0.2" })).rejects.toThrow(
      new UnauthorizedError(WRONG_CREDENTIALS),
    );
    await expect(login(db, { username: "ghost", password: "rm-password", ip: "10.0.0.2" })).rejects.toThrow(
      WRONG_CREDENTIALS,
    );
  });

  it("slows one address's guesses at a username: after 5 failures it waits 30 s, then twice as long after each failure", async () => {
    const start = Date.now();
    const from = (ip: string, password: string, at: number) => login(db, { username: "viewer", password, ip }, at);
    for (let i = 0; i < LOGIN_LIMITS.freeFailures; i++) {
      await expect(from("10.1.0.1", `bad-guess-${i}`, start + i * 1000)).rejects.toBeInstanceOf(UnauthorizedError);
    }
    const lastFailure = start + 4 * 1000;
    const waiting = await from("10.1.0.1", "viewer-password", lastFailure + 10_000).catch((e: unknown) => e);
    expect(waiting).toBeInstanceOf(TooManyAttemptsError);
    expect((waiting as TooManyAttemptsError).retryAfterSeconds).toBe(20);
    expect((waiting as Error).message).toBe("Too many failed sign-in attempts. Try again in 20 seconds.");
    // The wait is over: one more wrong guess, and the next wait is 60 s.
    await expect(from("10.1.0.1", "bad-guess-again", lastFailure + 30_000)).rejects.toBeInstanceOf(UnauthorizedError);
    const longer = (await from("10.1.0.1", "viewer-password", lastFailure + 30_000).catch(
      (e: unknown) => e,
    )) as TooManyAttemptsError;
    expect(longer.retryAfterSeconds).toBe(60);
    // After it, the right password works and clears that address's slate.
    await expect(from("10.1.0.1", "viewer-password", lastFailure + 90_000)).resolves.toMatchObject({
      user: { username: "viewer" },
    });
    await expect(from("10.1.0.1", "bad-once-more", lastFailure + 91_000)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it("cannot be used to lock a user out: while an attacker's address waits, the user signs in from their own", async () => {
    const start = Date.now() + 30 * MIN;
    for (let i = 0; i < 12; i++) {
      await login(db, { username: "rm", password: `attacker-${i}`, ip: "203.0.113.66" }, start + i).catch(
        (e: unknown) => e,
      );
    }
    await expect(
      login(db, { username: "rm", password: "rm-password", ip: "203.0.113.66" }, start + 100),
    ).rejects.toBeInstanceOf(TooManyAttemptsError);
    await expect(
      login(db, { username: "rm", password: "rm-password", ip: "10.0.0.44" }, start + 100),
    ).resolves.toMatchObject({ user: { username: "rm" } });
  });

  it("locks an address after 20 failures across usernames", async () => {
    const start = Date.now() + 60 * MIN;
    for (let i = 0; i < LOGIN_LIMITS.perIp; i++) {
      await expect(
        login(db, { username: `spray${i}`, password: "guess-guess", ip: "192.0.2.7" }, start + i),
      ).rejects.toBeInstanceOf(UnauthorizedError);
    }
    await expect(login(db, { username: "rm", password: "rm-password", ip: "192.0.2.7" }, start + 100)).rejects.toThrow(
      /Try again in 5 minutes/,
    );
    await expect(
      login(db, { username: "rm", password: "rm-password", ip: "192.0.2.8" }, start + 100),
    ).resolves.toBeTruthy();
  });

  it("counts parallel guesses: they cannot slip past the limit together", async () => {
    const start = Date.now() + 120 * MIN;
    const guesses = Array.from({ length: 12 }, (_, i) =>
      login(db, { username: "rm", password: `parallel-${i}`, ip: "10.2.0.1" }, start).catch((e: unknown) => e),
    );
    const results = await Promise.all(guesses);
    const refused = results.filter((r) => r instanceof TooManyAttemptsError).length;
    const wrong = results.filter((r) => r instanceof UnauthorizedError).length;
    expect(wrong).toBe(LOGIN_LIMITS.freeFailures);
    expect(refused).toBe(12 - LOGIN_LIMITS.freeFailures);
  });
});
