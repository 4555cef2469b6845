import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DeploymentView } from "@/components/deploy/deployment-view";
import { MonitoringTimeline } from "@/components/plan/monitoring-timeline";
import { ReleasePanel } from "@/components/release/release-panel";
import { requireUser, roleAtLeast } from "@/lib/auth/guard";
import { getEngineContext } from "@/lib/deploy/engine";
import { findDeployment } from "@/lib/deploy/store";
import { readAttachments } from "@/lib/release/attachments";
import { readOciLabels } from "@/lib/release/oci-labels";
import { deploymentSnapshot } from "@/lib/views/deployment-snapshot";
import { planTimeline } from "@/lib/views/monitoring-plan";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Deployment ${(await params).id} · Greenlight` };
}

export default async function DeploymentPage({ params }: Params) {
  const user = await requireUser();
  const { id } = await params;
  const ctx = getEngineContext();
  if (!findDeployment(ctx.db, id)) notFound();
  const snapshot = deploymentSnapshot(ctx, id);
  const service = ctx.config.services.find((s) => s.name === snapshot.deployment.service);
  const { image, imageDigest, version } = snapshot.deployment;
  const labels = await readOciLabels(imageDigest ?? image);
  return (
    <main>
      <DeploymentView
        initial={snapshot}
        canAct={roleAtLeast(user.role, "release_manager")}
        keepOldHours={service?.retention.keepOldHours ?? 24}
        thresholds={service?.thresholds}
        release={<ReleasePanel attachments={readAttachments(ctx.db, id)} labels={labels} version={version} />}
      />
      <MonitoringTimeline rows={planTimeline(ctx.db, findDeployment(ctx.db, id)!, service)} />
    </main>
  );
}
