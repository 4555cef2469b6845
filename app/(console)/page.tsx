import { Card, CardTitle } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/guard";

// Placeholder overview; the services overview replaces it.
export default async function OverviewPage() {
  const user = await requireUser();
  return (
    <main className="space-y-4">
      <h1 className="text-2xl font-semibold">Services</h1>
      <Card>
        <CardTitle>Welcome, {user.username}</CardTitle>
        <p className="mt-1 text-sm text-zinc-400">The services declared in greenlight.yaml will be listed here.</p>
      </Card>
    </main>
  );
}
