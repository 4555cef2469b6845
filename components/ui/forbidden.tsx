import Link from "next/link";
import { Card } from "./card";

/** What a signed-in user sees on a page their role does not open (403). */
export function Forbidden({ what, needs, role }: { what: string; needs: string; role: string }) {
  return (
    <main>
      <Card className="max-w-lg space-y-3" data-testid="forbidden" role="alert">
        <p className="text-sm font-medium text-zinc-400">403 · Not allowed</p>
        <h1 className="text-lg font-semibold text-zinc-100">
          {what} needs the {needs} role
        </h1>
        <p className="text-sm text-zinc-300">You are signed in as {role}. Ask an admin if you need access.</p>
        <Link
          href="/"
          className="inline-block rounded-md text-sm font-medium text-emerald-400 underline underline-offset-4 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-400"
        >
          Back to the overview
        </Link>
      </Card>
    </main>
  );
}
