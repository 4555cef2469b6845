// Test support only (not a test file): tiny images built offline for the Docker layer's own tests.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { getDocker } from "./client";

/** A small HTTP app: logs to stdout and stderr, exits on SIGTERM, crashes on CRASH=<code>. */
const APP = `
const http = require("http");
if (process.env.CRASH) { console.error("crashing on purpose"); process.exit(Number(process.env.CRASH)); }
const port = Number(process.env.PORT);
const host = process.env.HOST;
const server = http.createServer((req, res) => {
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ version: process.env.APP_VERSION, port, host }));
});
server.listen(port, host, () => {
  console.log("listening on " + host + ":" + port);
  console.error("warning: this line goes to stderr");
});
process.on("SIGTERM", () => {
  console.log("SIGTERM received, closing");
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
`;

/** Builds an image from a context directory; resolves with the image id. */
export async function buildImage(contextDir: string, tag: string): Promise<string> {
  const docker = getDocker();
  const src = fs
    .readdirSync(contextDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(contextDir, path.join(e.parentPath, e.name)));
  const stream = await docker.buildImage({ context: contextDir, src }, { t: tag, rm: true, forcerm: true });
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(stream, (error: Error | null, output: Array<{ error?: string }>) => {
      const failed = output?.find((o) => o.error);
      if (error || failed) reject(error ?? new Error(failed?.error));
      else resolve();
    }),
  );
  const info = await docker.getImage(tag).inspect();
  return info.Id;
}

/** FROM scratch: the host's node binary, the libraries it links, and the test app. */
export async function buildNodeTestImage(tag: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-c-img-"));
  try {
    const put = (from: string, to: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, to)), { recursive: true });
      fs.copyFileSync(fs.realpathSync(from), path.join(dir, to));
    };
    put("/usr/bin/node", "usr/bin/node");
    for (const lib of ["libdl.so.2", "libstdc++.so.6", "libm.so.6", "libgcc_s.so.1", "libpthread.so.0", "libc.so.6"]) {
      put(`/lib/x86_64-linux-gnu/${lib}`, `lib/x86_64-linux-gnu/${lib}`);
    }
    put("/lib64/ld-linux-x86-64.so.2", "lib64/ld-linux-x86-64.so.2");
    fs.mkdirSync(path.join(dir, "app"));
    fs.writeFileSync(path.join(dir, "app/app.js"), APP);
    fs.writeFileSync(
      path.join(dir, "Dockerfile"),
      'FROM scratch\nCOPY usr /usr\nCOPY lib /lib\nCOPY lib64 /lib64\nCOPY app /app\nENTRYPOINT ["/usr/bin/node", "/app/app.js"]\n',
    );
    return await buildImage(dir, tag);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** FROM scratch with one small file, so every call yields a distinct image id. */
export async function buildDataImage(tag: string, content: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-c-img-"));
  try {
    fs.writeFileSync(path.join(dir, "data.txt"), content);
    fs.writeFileSync(
      path.join(dir, "Dockerfile"),
      `FROM scratch\nCOPY data.txt /data.txt\nLABEL gltest-c=true\nCMD ["/nothing"]\n`,
    );
    return await buildImage(dir, tag);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
