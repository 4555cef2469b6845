"use server";

import { requestOrigin } from "@/lib/actions/audited";
import { action } from "@/lib/actions/safe-action";
import { silenceAlerts, silenceInput } from "@/lib/alerts/silence";
import { getEngineContext } from "@/lib/deploy/engine";

/** An on-call silences an alert rule (or all of a service's) for a time with a reason; the verb audits it. */
export const silenceAlertsAction = action(
  "oncall",
  silenceInput,
  async (data, { user }) => {
    const silence = silenceAlerts(getEngineContext(), data, user, await requestOrigin());
    const what = silence.rule ? `${silence.service}'s alert ${silence.rule}` : `every alert of ${silence.service}`;
    return { message: `Silenced ${what} until ${new Date(silence.endsAt).toISOString().slice(0, 16)} UTC.` };
  },
  "alert.silence",
);
