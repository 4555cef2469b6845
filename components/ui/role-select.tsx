import type { SelectHTMLAttributes } from "react";
import type { Role } from "@/lib/auth/roles";
import { Select } from "./input";

/** How each role is named on screen (the header badge, the role pickers). */
export const ROLE_LABEL: Record<Role, string> = {
  viewer: "Viewer",
  oncall: "On-call",
  release_manager: "Release manager",
  admin: "Admin",
};

/** A picker of the four roles, weakest first, each under its on-screen name. */
export function RoleSelect(props: SelectHTMLAttributes<HTMLSelectElement> & { id: string; narrow?: boolean }) {
  return (
    <Select {...props}>
      {(Object.entries(ROLE_LABEL) as Array<[Role, string]>).map(([value, label]) => (
        <option key={value} value={value}>
          {label}
        </option>
      ))}
    </Select>
  );
}
