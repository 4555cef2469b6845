"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import type { ReleaseImage } from "@/lib/views/release-images";
import { startDeploymentAction } from "@/app/(console)/services/[name]/actions";
import { ReleaseAttachmentFields, type ReleaseAttachmentValue } from "@/components/release/release-attachment-fields";
import { ErrorText } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Label, Select, TextField } from "@/components/ui/input";
import { formatBytes, formatClock } from "./format";
import { useDeployAction } from "./use-deploy-action";

type Props = {
  service: string;
  images: ReleaseImage[];
  liveVersion: string | null;
  targetSlot: "blue" | "green";
  busy: string | null;
  /** The repository to pull from when the service may pull; null when it never pulls. */
  pullFrom?: string | null;
};

/** Picks a tag present on the engine (or names one to pull) and starts a deployment, then follows it on its own page. */
export function DeployForm({ service, images, liveVersion, targetSlot, busy, pullFrom = null }: Props) {
  const router = useRouter();
  const id = useId();
  const firstOther = images.find((i) => i.tag !== liveVersion) ?? images[0];
  const [local, setLocal] = useState(firstOther?.ref ?? "");
  const [toPull, setToPull] = useState("");
  const image = toPull.trim() || local;
  const [autoPromote, setAutoPromote] = useState(false);
  const [{ problem, ...release }, setRelease] = useState<ReleaseAttachmentValue>({});
  const start = useDeployAction(startDeploymentAction, [["service", service], ["services"]]);
  const chosen = images.find((i) => i.ref === image);

  if (images.length === 0 && !pullFrom)
    return (
      <p className="text-sm text-zinc-300">
        No image of this service&apos;s repository is present on the Docker engine. Pull or build one, then reload.
      </p>
    );
  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        start.mutate(
          { service, image, autoPromote, ...release },
          { onSuccess: (r) => (r.started ? router.push(`/deployments/${r.deploymentId}`) : undefined) },
        );
      }}
    >
      <div className="grid gap-4 sm:grid-cols-[1fr_auto] sm:items-end">
        <div className="space-y-3">
          {images.length > 0 ? (
            <div className="space-y-1.5">
              <Label htmlFor={`${id}-image`}>Release (image tag on this engine)</Label>
              <Select
                id={`${id}-image`}
                value={local}
                onChange={(e) => (setLocal(e.target.value), start.reset())}
                className="font-mono"
              >
                {images.map((i) => (
                  <option key={i.ref} value={i.ref}>
                    {i.ref}
                    {i.tag === liveVersion ? "  (live now)" : ""}
                  </option>
                ))}
              </Select>
            </div>
          ) : null}
          {pullFrom ? (
            <TextField
              loose
              id={`${id}-pull`}
              label={images.length > 0 ? "Or a release to pull from the registry" : "Release to pull from the registry"}
              value={toPull}
              onChange={(e) => (setToPull(e.target.value), start.reset())}
              placeholder={`${pullFrom}:<tag>`}
              spellCheck={false}
              className="font-mono"
            />
          ) : null}
        </div>
        <Button
          type="submit"
          disabled={start.isPending || !image || busy !== null || problem !== undefined}
          className="sm:min-w-40"
        >
          {start.isPending ? "Starting…" : `Deploy to ${targetSlot}`}
        </Button>
      </div>
      {chosen ? (
        <p className="text-xs text-zinc-400">
          Built {formatClock(chosen.created)} · {formatBytes(chosen.size)}
        </p>
      ) : null}
      <label className="flex items-start gap-2 text-sm text-zinc-300">
        <input
          type="checkbox"
          checked={autoPromote}
          onChange={(e) => setAutoPromote(e.target.checked)}
          className="mt-0.5 size-4 accent-emerald-500"
        />
        <span>
          Promote automatically when every check passes
          <span className="block text-xs text-zinc-400">
            Unticked: the deployment waits at the gate for someone to click Promote.
          </span>
        </span>
      </label>
      <ReleaseAttachmentFields
        id={id}
        value={{ problem, ...release }}
        onChange={(next) => (setRelease(next), start.reset())}
      />
      {busy ? <p className="text-sm text-amber-200">{busy}</p> : null}
      {start.data && !start.data.started ? (
        <p role="status" className="rounded-md border border-zinc-700 bg-zinc-800 px-3 py-2 text-sm text-zinc-200">
          {start.data.message}
        </p>
      ) : null}
      {start.data?.started ? (
        <p role="status" className="text-sm text-emerald-300">
          {start.data.message} Opening the deployment…
        </p>
      ) : null}
      {start.error ? <ErrorText>{start.error.message}</ErrorText> : null}
    </form>
  );
}
