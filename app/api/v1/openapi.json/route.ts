import { openApiDocument } from "@/app/api/v1/_lib/openapi";

export const dynamic = "force-static";

export function GET(): Response {
  return Response.json(openApiDocument);
}
