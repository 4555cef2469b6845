import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card } from "@/components/ui/card";
import { currentUser } from "@/lib/auth/guard";
import { safeNextPath } from "@/lib/auth/safe-next";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in · Greenlight" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const next = safeNextPath((await searchParams).next);
  if (await currentUser()) redirect(next);
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <Card className="w-full max-w-sm space-y-6 p-8">
        <div className="space-y-1">
          <p className="text-sm font-semibold tracking-wide text-emerald-400">Greenlight</p>
          <h1 className="text-xl font-semibold">Sign in</h1>
          <p className="text-sm text-zinc-400">Blue-green release console</p>
        </div>
        <LoginForm next={next} />
      </Card>
    </main>
  );
}
