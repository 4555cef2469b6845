import type { Deployment, DeploymentStep } from "@/lib/db/schema";
import { failureOfDeployment } from "@/lib/deploy/failure-kinds";
import { AppAnswerView } from "./app-answer-view";

/** For a failed deployment (or one whose switch failed): what kind of failure it was, what that means, what to do next, and what the app said. */
export function FailureNote({
  deployment,
  steps,
}: {
  deployment: Pick<Deployment, "status" | "keptUntil">;
  steps: DeploymentStep[];
}) {
  const failure = failureOfDeployment(deployment, steps);
  if (!failure) return null;
  return (
    <section
      data-testid="failure-note"
      data-kind={failure.kind}
      className="space-y-2 rounded-lg border border-red-900 bg-zinc-900 px-4 py-3"
    >
      <h2 className="text-base font-semibold text-red-200">{failure.title}</h2>
      <p className="text-sm text-zinc-300">{failure.explanation}</p>
      <p className="text-sm text-zinc-100">
        <span className="font-semibold">Next step:</span> {failure.nextStep}
      </p>
      {failure.answer ? <AppAnswerView answer={failure.answer} /> : null}
    </section>
  );
}
