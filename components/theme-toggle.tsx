"use client";

import { useEffect } from "react";
import { cn } from "@/components/ui/cn";
import { parseTheme, THEME_COOKIE, type Theme } from "./theme-cookie";
import { useShownTheme } from "./use-shown-theme";

const ONE_YEAR_S = 365 * 24 * 60 * 60;

function apply(theme: Theme) {
  const root = document.documentElement;
  root.classList.remove("dark", "light");
  root.classList.add(theme);
  localStorage.setItem(THEME_COOKIE, theme);
  // The cookie lets the server render the chosen class, so a reload never flashes the other theme.
  document.cookie = `${THEME_COOKIE}=${theme}; path=/; max-age=${ONE_YEAR_S}; samesite=lax`;
}

/** Switches between the dark (default) and light themes; the choice survives reloads and new tabs. */
export function ThemeToggle({ initial, className }: { initial: Theme; className?: string }) {
  const theme = useShownTheme(initial);
  useEffect(() => {
    // A cookie cleared by the browser: the choice kept in localStorage still wins.
    const stored = localStorage.getItem(THEME_COOKIE);
    if (stored && parseTheme(stored) !== initial) apply(parseTheme(stored));
  }, [initial]);
  const next: Theme = theme === "dark" ? "light" : "dark";
  return (
    <button
      type="button"
      data-testid="theme-toggle"
      data-theme={theme}
      aria-label={`Switch to the ${next} theme`}
      title={`Switch to the ${next} theme`}
      onClick={() => apply(next)}
      className={cn(
        "inline-flex h-9 w-9 items-center justify-center rounded-md border border-zinc-700 bg-zinc-900 text-zinc-200 hover:bg-zinc-800",
        "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-400",
        className,
      )}
    >
      <span aria-hidden="true" className="text-base leading-none">
        {theme === "dark" ? "☀" : "☾"}
      </span>
    </button>
  );
}
