/** Starts a deployment through the console's v1 API with a session cookie, as a browser on the same origin would. */
export async function startViaApi(
  url: string,
  cookie: string,
  service: string,
  body: Record<string, unknown>,
): Promise<string> {
  const res = await fetch(`${url}/api/v1/services/${service}/deployments`, {
    method: "POST",
    headers: { cookie, origin: url, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const reply = (await res.json()) as { id?: string };
  if (res.status !== 202 || !reply.id)
    throw new Error(`could not start ${JSON.stringify(body)}: ${res.status} ${JSON.stringify(reply)}`);
  return reply.id;
}

/** Polls the v1 API until the deployment reaches one of `statuses`; throws on any other final status. */
export async function waitForStatus(
  url: string,
  cookie: string,
  id: string,
  statuses: string[],
  attempts = 240,
): Promise<string> {
  const final = ["succeeded", "failed", "aborted", "expired", "rolled_back", "noop"];
  for (let i = 0; i < attempts; i++) {
    const res = await fetch(`${url}/api/v1/deployments/${id}`, { headers: { cookie } });
    const status = ((await res.json()) as { deployment?: { status: string } }).deployment?.status ?? "";
    if (statuses.includes(status)) return status;
    if (final.includes(status)) throw new Error(`deployment ${id} ended ${status}, not ${statuses.join("/")}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`deployment ${id} never reached ${statuses.join("/")}`);
}
