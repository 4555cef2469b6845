import Link from "next/link";
import { Card } from "@/components/ui/card";

export default function NotFound() {
  return (
    <Card className="max-w-lg space-y-2">
      <h1 className="text-lg font-semibold">Not found</h1>
      <p className="text-sm text-zinc-300">
        No such service or deployment. It may not be declared in greenlight.yaml, or the id is mistyped.
      </p>
      <Link href="/" className="text-sm font-medium text-emerald-400 hover:underline">
        Back to the overview
      </Link>
    </Card>
  );
}
