/**
 * Greenlight user management.
 *   npx tsx scripts/users.ts add <username> --role <role>
 *   npx tsx scripts/users.ts set-role <username> <role>
 *   npx tsx scripts/users.ts set-password <username>
 *   npx tsx scripts/users.ts disable <username>   |  enable <username>
 *   npx tsx scripts/users.ts list
 * Passwords come from GREENLIGHT_NEW_PASSWORD or are read from stdin, never from the command line.
 * The database is GREENLIGHT_DATA_DIR/greenlight.db (default ./data).
 */
import { createInterface } from "node:readline";
import { createUser } from "@/lib/auth/create-user";
import { setUserDisabled } from "@/lib/auth/disable-user";
import { listUsers } from "@/lib/auth/list-users";
import { ROLES } from "@/lib/auth/roles";
import { setPassword } from "@/lib/auth/set-password";
import { setRole } from "@/lib/auth/set-role";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

const USAGE = `usage: users.ts add <username> --role <${ROLES.join("|")}>
       users.ts set-role <username> <role>
       users.ts set-password <username>
       users.ts disable <username> | enable <username>
       users.ts list
Passwords: GREENLIGHT_NEW_PASSWORD, or typed on stdin.`;

class UsageError extends Error {}

async function readPassword(): Promise<string> {
  const fromEnv = process.env.GREENLIGHT_NEW_PASSWORD;
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) process.stderr.write("New password: ");
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  throw new UsageError("No password: set GREENLIGHT_NEW_PASSWORD or pipe it on stdin");
}

function arg(args: string[], index: number, what: string): string {
  const value = args[index];
  if (!value || value.startsWith("--")) throw new UsageError(`Missing ${what}`);
  return value;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (args.includes("--password") || args.some((a) => a.startsWith("--password="))) {
    throw new UsageError("Passwords are never taken from the command line; use GREENLIGHT_NEW_PASSWORD or stdin");
  }
  const db = getDb();
  switch (command) {
    case "add": {
      const username = arg(args, 0, "username");
      const role = option(args, "--role");
      if (!role) throw new UsageError(`Missing --role (one of: ${ROLES.join(", ")})`);
      const user = await createUser(db, { username, role, password: await readPassword() });
      console.log(`Created ${user.username} (${user.role})`);
      return;
    }
    case "set-role": {
      const result = setRole(db, arg(args, 0, "username"), arg(args, 1, "role"), null);
      console.log(`${arg(args, 0, "username")}: ${result.previous} -> ${result.role}; sessions revoked`);
      return;
    }
    case "set-password": {
      const username = arg(args, 0, "username");
      await setPassword(db, username, await readPassword());
      console.log(`Password changed for ${username}; sessions revoked`);
      return;
    }
    case "disable":
    case "enable": {
      const username = arg(args, 0, "username");
      setUserDisabled(db, username, command === "disable", null);
      console.log(`${username} ${command}d`);
      return;
    }
    case "list": {
      for (const u of listUsers(db)) {
        const state = u.disabledAt ? "disabled" : "active";
        console.log(`${u.username.padEnd(24)} ${u.role.padEnd(16)} ${state}`);
      }
      return;
    }
    default:
      throw new UsageError(command ? `Unknown command "${command}"` : "Missing command");
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (error instanceof AppError) {
      console.error(error.message);
      process.exit(1);
    }
    console.error(error);
    process.exit(1);
  },
);
