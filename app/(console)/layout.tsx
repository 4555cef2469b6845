import Link from "next/link";
import type { ReactNode } from "react";
import { ThemeToggle } from "@/components/theme-toggle";
import { currentTheme } from "@/components/theme-server";
import { Button } from "@/components/ui/button";
import { ROLE_LABEL } from "@/components/ui/role-select";
import { requirePageUser } from "@/lib/auth/guard";
import { IncidentBanner } from "@/components/incidents/incident-banner";
import { EngineHealth } from "@/components/health/engine-health";
import { checkCollectors, checkEngine } from "@/lib/health/readiness";
import { getEngineContext } from "@/lib/deploy/engine";
import { incidentBanner } from "@/lib/incidents/banner";
import { signOut } from "../logout/actions";
import { NavLink } from "./nav-link";

// Pages and actions below still check the user themselves: a layout does not guard what renders beneath it.
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  const theme = await currentTheme();
  const ctx = getEngineContext();
  const incidents = incidentBanner(ctx.db);
  return (
    <div className="min-h-screen">
      <header className="border-b border-zinc-800 bg-zinc-950/80">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
          <Link
            href="/"
            className="rounded-md text-base font-semibold tracking-tight text-emerald-400 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-400"
          >
            Greenlight
          </Link>
          <nav
            aria-label="Main"
            className="order-last -mx-1 flex w-full items-center gap-1 overflow-x-auto sm:order-none sm:mx-0 sm:w-auto"
          >
            <NavLink href="/">Overview</NavLink>
            <NavLink href="/metrics">Metrics</NavLink>
            <NavLink href="/audit">Audit</NavLink>
            <NavLink href="/settings">Settings</NavLink>
          </nav>
          <div className="ml-auto flex items-center gap-2 text-sm sm:gap-3">
            <EngineHealth engine={checkEngine(ctx.db)} collectors={checkCollectors()} />
            <span data-testid="current-user" className="text-zinc-300">
              <span className="font-medium text-zinc-100">{user.username}</span>{" "}
              <span className="rounded bg-zinc-800 px-1.5 py-0.5 text-xs text-zinc-300" data-role={user.role}>
                {ROLE_LABEL[user.role]}
              </span>
            </span>
            <ThemeToggle initial={theme} />
            <form action={signOut}>
              <Button type="submit" variant="secondary">
                Sign out
              </Button>
            </form>
          </div>
        </div>
      </header>
      <IncidentBanner initial={incidents} />
      <div className="mx-auto max-w-7xl px-4 py-6">{children}</div>
    </div>
  );
}
