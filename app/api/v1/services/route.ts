import { listServices } from "@/app/api/v1/_lib/services";
import { getEngineContext } from "@/lib/deploy/engine";

export const dynamic = "force-dynamic";

export async function GET(req: Request): Promise<Response> {
  return listServices(req, {}, getEngineContext());
}
