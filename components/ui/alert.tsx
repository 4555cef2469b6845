import type { HTMLAttributes } from "react";
import { cn } from "./cn";

/** An inline error, announced to screen readers as it appears. */
export function ErrorText({ className, children, ...props }: HTMLAttributes<HTMLParagraphElement>) {
  return (
    <p
      role="alert"
      className={cn("rounded-md border border-red-800 bg-red-950/60 px-3 py-2 text-sm text-red-200", className)}
      {...props}
    >
      {children}
    </p>
  );
}
