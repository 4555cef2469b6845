/** `npm run bench -- <name>`: runs the default export of bench/<name>.ts. */
import path from "node:path";
import { pathToFileURL } from "node:url";

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
    console.error("usage: npm run bench -- <name>   (a file bench/<name>.ts)");
    process.exit(2);
  }
  const mod = (await import(pathToFileURL(path.join(__dirname, `${name}.ts`)).href)) as {
    default?: () => Promise<void> | void;
  };
  if (typeof mod.default !== "function") throw new Error(`bench/${name}.ts has no default export`);
  await mod.default();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
