// Writes one warning through Greenlight's logger and exits: lib/log.test.ts reads what a real process prints.
import { logger } from "@/lib/log";

logger("engine").warn({ service: "shop" }, `token is ${process.env.GREENLIGHT_METRICS_TOKEN}`);
