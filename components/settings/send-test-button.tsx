"use client";

import { sendTestNotificationAction } from "@/app/(console)/settings/actions";
import { Button } from "@/components/ui/button";
import { useSettingsAction } from "./use-settings-action";

/** Sends one test message to a channel and says how it went (errors name the host only). */
export function SendTestButton({ service, channel }: { service: string; channel: string }) {
  const send = useSettingsAction(sendTestNotificationAction);
  const result = send.data;
  return (
    <div className="flex flex-wrap items-center gap-3">
      <Button variant="secondary" disabled={send.isPending} onClick={() => send.mutate({ service, channel })}>
        {send.isPending ? "Sending…" : "Send test"}
      </Button>
      <span role="status" className="text-sm">
        {send.error ? <span className="text-red-300">{send.error.message}</span> : null}
        {result?.ok ? <span className="text-emerald-300">Delivered</span> : null}
        {result && !result.ok ? <span className="text-red-300">Failed: {result.error}</span> : null}
      </span>
    </div>
  );
}
