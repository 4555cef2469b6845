"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

export function NavLink({ href, children }: { href: string; children: string }) {
  const pathname = usePathname();
  const active =
    href === "/"
      ? pathname === "/" ||
        (pathname.startsWith("/services") && !pathname.endsWith("/metrics")) ||
        pathname.startsWith("/deployments")
      : href === "/metrics"
        ? pathname.startsWith("/metrics") || (pathname.startsWith("/services") && pathname.endsWith("/metrics"))
        : pathname.startsWith(href);
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={cn(
        "rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-400",
        active ? "bg-zinc-800 text-zinc-50" : "text-zinc-400 hover:bg-zinc-900 hover:text-zinc-100",
      )}
    >
      {children}
    </Link>
  );
}
