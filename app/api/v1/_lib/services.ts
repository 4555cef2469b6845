import { inServiceScope } from "@/lib/api-tokens/scope";
import { servicesOverview } from "@/lib/views/service-overview";
import { authenticate } from "./authenticate";
import { guarded } from "./guarded";
import { json } from "./respond";

/** The declared services the caller may see, with live colour, health, deployment in progress and lock. */
export const listServices = guarded<Record<string, never>>(async (req, _params, ctx) => {
  const { user } = authenticate(req, ctx, "viewer");
  const services = (await servicesOverview(ctx)).filter((s) => inServiceScope(user, s.name));
  return json({ services });
});
