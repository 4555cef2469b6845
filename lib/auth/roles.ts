import { ROLES, type Role } from "@/lib/db/schema/users";

export { ROLES, type Role };

/** Roles from weakest to strongest: viewer < oncall < release_manager < admin. */
const RANK: Record<Role, number> = { viewer: 0, oncall: 1, release_manager: 2, admin: 3 };

/** True when `role` is `min` or stronger. */
export function roleAtLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}

/** A minimum role, or an explicit list of roles that are allowed. */
export type RoleRequirement = Role | readonly Role[];

export function satisfies(role: Role, requirement: RoleRequirement): boolean {
  return typeof requirement === "string" ? roleAtLeast(role, requirement) : requirement.includes(role);
}

export function describeRequirement(requirement: RoleRequirement): string {
  return typeof requirement === "string" ? `${requirement} or higher` : requirement.join(" or ");
}
