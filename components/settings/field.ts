export const SELECT_CLASS =
  "block w-full rounded-md border border-zinc-700 bg-zinc-900 px-3 py-2 text-sm text-zinc-100 focus-visible:border-emerald-500 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-emerald-400";

export const ROLE_LABEL = {
  viewer: "Viewer",
  oncall: "On-call",
  release_manager: "Release manager",
  admin: "Admin",
} as const;
export const ROLE_OPTIONS = Object.entries(ROLE_LABEL) as Array<[keyof typeof ROLE_LABEL, string]>;
