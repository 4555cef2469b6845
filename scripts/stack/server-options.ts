/**
 * How Greenlight's one process is started (package.json "start" says the same): V8's heap is capped so the server
 * gives memory back instead of growing towards the machine's size. Its live data is a few tens of MB; with 20
 * metrics streams open the process stays under the seed's 200 MB bar (bench/console.ts measures it).
 */
export const SERVER_NODE_OPTIONS = "--max-old-space-size=128 --max-semi-space-size=4";
