"use client";

import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

export default function ConsoleError({ reset }: { error: Error; reset: () => void }) {
  return (
    <Card className="max-w-lg space-y-3" role="alert">
      <h1 className="text-lg font-semibold text-red-200">This page could not be loaded</h1>
      <p className="text-sm text-zinc-300">
        Greenlight could not read the current state; the details are in the server log. Deployments keep running in the
        background.
      </p>
      <Button variant="secondary" onClick={reset}>
        Try again
      </Button>
    </Card>
  );
}
