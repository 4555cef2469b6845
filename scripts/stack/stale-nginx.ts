import fs from "node:fs";
import path from "node:path";

/**
 * A killed run of a temp stack leaves its nginx behind, still holding the stack's port: find the nginx master
 * processes started with a config under `<tmpdir>/<name>-*` (this stack's own directories only), stop them and
 * remove their directories. Answers how many were stopped.
 */
export async function stopStaleNginx(tmpDir: string, name: string): Promise<number> {
  let stopped = 0;
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    let args: string[];
    try {
      args = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    } catch {
      continue;
    }
    if (!args[0]?.startsWith("nginx: master process")) continue;
    const words = args[0].split(" ");
    const config = words[words.indexOf("-c") + 1];
    if (!config) continue;
    const stackDir = path.dirname(path.dirname(config));
    // mkdtemp's six characters after the name: "gl-bench" never matches gl-bench-pull's directories.
    const mine = path.basename(stackDir).length === name.length + 7 && path.basename(stackDir).startsWith(`${name}-`);
    if (path.dirname(stackDir) !== tmpDir || !mine) continue;
    try {
      process.kill(Number(pid), "SIGTERM");
      stopped++;
    } catch {
      continue;
    }
    for (let i = 0; i < 50 && fs.existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 100));
    fs.rmSync(stackDir, { recursive: true, force: true });
  }
  return stopped;
}
