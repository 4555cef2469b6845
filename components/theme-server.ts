import { cookies } from "next/headers";
import { parseTheme, THEME_COOKIE, type Theme } from "./theme-cookie";

/** The theme the reader chose, from the cookie the toggle sets; dark when there is none. */
export async function currentTheme(): Promise<Theme> {
  return parseTheme((await cookies()).get(THEME_COOKIE)?.value);
}
