"use client";

import { useSyncExternalStore } from "react";
import type { Theme } from "./theme-cookie";

function subscribe(onChange: () => void) {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
  return () => observer.disconnect();
}

const shownTheme = (): Theme => (document.documentElement.classList.contains("light") ? "light" : "dark");

/** The theme the page shows now (the class on <html>), following the toggle; `initial` while rendering on the server. */
export function useShownTheme(initial: Theme = "dark"): Theme {
  return useSyncExternalStore(subscribe, shownTheme, () => initial);
}
