export const THEME_COOKIE = "greenlight_theme";
const THEMES = ["dark", "light"] as const;
export type Theme = (typeof THEMES)[number];

/** Dark unless the reader chose light. */
export function parseTheme(value: string | null | undefined): Theme {
  return value === "light" ? "light" : "dark";
}
