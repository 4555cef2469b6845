import { processWide } from "@/lib/process-wide";
import diagnostics from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import { PEER_HEADER } from "./client-address";

/**
 * Stamps every request Node's HTTP server receives in this process with its TCP peer address (overwriting any
 * copy the client sent), before Next sees it: route handlers and actions get no socket, and the X-Forwarded-For
 * Next fills in is kept as the client sent it. Called once from instrumentation.ts.
 */
export function stampPeerAddresses(): void {
  const stamp = processWide("peer-stamp", () => ({ subscribed: false }));
  if (stamp.subscribed) return;
  stamp.subscribed = true;
  diagnostics.subscribe("http.server.request.start", (message) => {
    const request = (message as { request?: IncomingMessage }).request;
    if (!request) return;
    const peer = request.socket?.remoteAddress;
    if (peer) request.headers[PEER_HEADER] = peer;
    else delete request.headers[PEER_HEADER];
  });
}
