import type { Role } from "./roles";

/** The signed-in user as the rest of Greenlight sees it. */
export interface SessionUser {
  id: number;
  username: string;
  role: Role;
}
