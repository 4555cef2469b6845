import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ServiceView } from "@/components/deploy/service-view";
import { RollbackPanel } from "@/components/rollback/rollback-panel";
import { ErrorText } from "@/components/ui/alert";
import { requireUser, roleAtLeast } from "@/lib/auth/guard";
import { getEngineContext } from "@/lib/deploy/engine";
import { publicMessage } from "@/lib/errors";
import { SERVICE_HISTORY } from "@/lib/views/limits";
import { releaseImages, type ReleaseImage } from "@/lib/views/release-images";
import { serviceOverview } from "@/lib/views/service-overview";
import { serviceTabMetadata } from "@/lib/views/service-tab-state";
import { ServiceTab } from "@/components/service-tab";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const name = decodeURIComponent((await params).name);
  const ctx = getEngineContext();
  if (!ctx.config.services.some((s) => s.name === name)) return { title: `${name} · Greenlight` };
  return serviceTabMetadata(ctx.db, name);
}

export default async function ServicePage({ params }: Params) {
  const user = await requireUser();
  const name = decodeURIComponent((await params).name);
  const ctx = getEngineContext();
  const service = ctx.config.services.find((s) => s.name === name);
  if (!service) notFound();
  const canDeploy = roleAtLeast(user.role, "release_manager");
  const overview = await serviceOverview(ctx, name, { historyLimit: SERVICE_HISTORY });
  let images: ReleaseImage[] = [];
  let imageProblem: string | null = null;
  if (canDeploy) {
    try {
      images = await releaseImages(service);
    } catch (error) {
      imageProblem = publicMessage(error);
    }
  }
  return (
    <main className="space-y-4">
      <ServiceTab service={name} initial={overview} />
      {imageProblem ? <ErrorText>Could not list the images on the Docker engine: {imageProblem}</ErrorText> : null}
      <ServiceView
        initial={overview}
        images={images}
        canDeploy={canDeploy}
        canAct={roleAtLeast(user.role, "oncall")}
        canReleaseLock={user.role === "admin"}
        keepOldHours={service.retention.keepOldHours}
        rollback={
          <RollbackPanel
            service={name}
            user={{ username: user.username, role: user.role }}
            breakGlassEnabled={service.rollback.breakGlass}
          />
        }
      />
    </main>
  );
}
