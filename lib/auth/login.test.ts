import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UnauthorizedError } from "@/lib/errors";
import { createUser } from "./create-user";
import { login, WRONG_CREDENTIALS } from "./login";
import { LOGIN_LIMITS, TooManyAttemptsError } from "./rate-limit";
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
    const second = await login(db, { username: "rm", password: "rm-password", ip: "10.0.0.1", previousToken: first.token });
    expect(second.token).not.toBe(first.token);
    expect(userFromToken(db, first.token)).toBeNull();
    expect(userFromToken(db, second.token)).toMatchObject({ username: "rm" });
  });

  it("says only 'wrong username or password' for a bad password or an unknown user", async () => {
    await expect(login(db, { username: "rm", password: "nope-nope", ip: "10.0.0.2" })).rejects.toThrow(
      new UnauthorizedError(WRONG_CREDENTIALS),
    );
    await expect(login(db, { username: "ghost", password: "rm-password", ip: "10.0.0.2" })).rejects.toThrow(WRONG_CREDENTIALS);
  });

  it("locks a username after 5 failures in 5 minutes and names the wait", async () => {
    const start = Date.now();
    for (let i = 0; i < LOGIN_LIMITS.perUsername; i++) {
      await expect(login(db, { username: "viewer", password: "bad-guess-" + i, ip: `10.1.0.${i}` }, start + i * MIN / 2)).rejects.toBeInstanceOf(
        UnauthorizedError,
      );
    }
    // Even the right password is refused while locked, from any address.
    const locked = login(db, { username: "viewer", password: "viewer-password", ip: "10.9.9.9" }, start + 3 * MIN);
    await expect(locked).rejects.toBeInstanceOf(TooManyAttemptsError);
    await expect(locked).rejects.toThrow("Too many failed sign-in attempts. Try again in 2 minutes.");
    const err = await login(db, { username: "viewer", password: "viewer-password" }, start + 4 * MIN + 50 * 1000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooManyAttemptsError);
    expect((err as TooManyAttemptsError).retryAfterSeconds).toBe(10);
    expect((err as Error).message).toBe("Too many failed sign-in attempts. Try again in 10 seconds.");
    // Other users are not affected.
    await expect(login(db, { username: "rm", password: "rm-password", ip: "10.9.9.9" }, start + 3 * MIN)).resolves.toBeTruthy();
    // Once the oldest failure leaves the window, sign-in works again and clears the slate.
    await expect(login(db, { username: "viewer", password: "viewer-password" }, start + 5 * MIN + 1000)).resolves.toBeTruthy();
    await expect(login(db, { username: "viewer", password: "bad-again" }, start + 5 * MIN + 2000)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it("locks an address after 20 failures across usernames", async () => {
    const start = Date.now() + 60 * MIN;
    for (let i = 0; i < LOGIN_LIMITS.perIp; i++) {
      await expect(login(db, { username: `spray${i}`, password: "guess-guess", ip: "192.0.2.7" }, start + i)).rejects.toBeInstanceOf(
        UnauthorizedError,
      );
    }
    await expect(login(db, { username: "rm", password: "rm-password", ip: "192.0.2.7" }, start + 100)).rejects.toThrow(
      /Try again in 5 minutes/,
    );
    await expect(login(db, { username: "rm", password: "rm-password", ip: "192.0.2.8" }, start + 100)).resolves.toBeTruthy();
  });

  it("counts parallel guesses: they cannot slip past the limit together", async () => {
    const start = Date.now() + 120 * MIN;
    const guesses = Array.from({ length: 12 }, (_, i) =>
      login(db, { username: "rm", password: `parallel-${i}`, ip: `10.2.0.${i}` }, start).catch((e: unknown) => e),
    );
    const results = await Promise.all(guesses);
    const refused = results.filter((r) => r instanceof TooManyAttemptsError).length;
    const wrong = results.filter((r) => r instanceof UnauthorizedError).length;
    expect(wrong).toBe(LOGIN_LIMITS.perUsername);
    expect(refused).toBe(12 - LOGIN_LIMITS.perUsername);
  });
});
