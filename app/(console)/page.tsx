import { ErrorText } from "@/components/ui/alert";
import { ServicesGrid } from "@/components/deploy/services-grid";
import { requireUser } from "@/lib/auth/guard";
import { getEngineContext } from "@/lib/deploy/engine";
import { servicesOverview } from "@/lib/views/service-overview";
import { publicMessage } from "@/lib/errors";

export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  await requireUser();
  let services;
  try {
    services = await servicesOverview(getEngineContext());
  } catch (error) {
    return (
      <main className="space-y-4">
        <h1 className="text-2xl font-semibold">Services</h1>
        <ErrorText>Could not read the services: {publicMessage(error)}</ErrorText>
      </main>
    );
  }
  return (
    <main className="space-y-4">
      <h1 className="text-2xl font-semibold">Services</h1>
      <ServicesGrid initial={services} />
    </main>
  );
}
