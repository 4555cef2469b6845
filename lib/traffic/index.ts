import type { Config, ServiceConfig } from "@/lib/config/schema";
import type { TrafficDriver } from "./driver";
import { haproxyDriver } from "./haproxy";
import { nginxDriver } from "./nginx";

export type { TrafficDriver } from "./driver";
export { TrafficRefusedError } from "./driver";

/** The service's traffic driver: HAProxy when its `traffic` says so, else Greenlight's nginx upstream file. */
export function trafficDriver(config: Pick<Config, "nginx">, service: ServiceConfig): TrafficDriver {
  return service.traffic?.driver === "haproxy"
    ? haproxyDriver(service.traffic, service)
    : nginxDriver(config.nginx, service);
}
