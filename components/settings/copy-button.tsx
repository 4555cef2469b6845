"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  return (
    <Button
      variant="secondary"
      onClick={() =>
        navigator.clipboard.writeText(text).then(
          () => setCopied("yes"),
          () => setCopied("no"),
        )
      }
    >
      <span aria-live="polite">
        {copied === "yes" ? "Copied" : copied === "no" ? "Select and copy it by hand" : label}
      </span>
    </Button>
  );
}
