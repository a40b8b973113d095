/**
 * Bundles the /login page's script (components/login-page/login-script.ts) into public/_textgate/ with
 * esbuild: an ES module for the browsers Next.js 16 supports, the phone library split into a chunk that
 * loads after the page. `npm run build` runs this file; `npm run dev` (server.ts in development) calls
 * `watchLoginScript`, which rebuilds on every change.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type BuildOptions, build, context } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outdir = path.join(root, "public/_textgate");

const options = {
  absWorkingDir: root,
  entryPoints: { login: "components/login-page/login-script.ts" },
  outdir,
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  // Next.js 16's default browser list.
  target: ["chrome111", "edge111", "firefox111", "safari16.4"],
  minify: true,
  legalComments: "none",
  tsconfig: path.join(root, "tsconfig.json"),
  define: { "process.env.NODE_ENV": '"production"' },
  // The React components' default sign-in; the login script passes its own and never loads it.
  external: ["next-auth/react"],
  metafile: true,
  logLevel: "warning",
} satisfies BuildOptions;

/** A clean build; returns "file size" lines. */
export async function buildLoginScript(): Promise<string[]> {
  // Chunk names carry content hashes: start empty so old chunks do not pile up.
  fs.rmSync(outdir, { recursive: true, force: true });
  const result = await build(options);
  return Object.entries(result.metafile.outputs).map(([file, output]) => `${path.relative(root, file)} ${(output.bytes / 1024).toFixed(1)} KB`);
}

/** Development: builds now and again on every change of the script's sources, until the process ends. */
export async function watchLoginScript(): Promise<void> {
  fs.rmSync(outdir, { recursive: true, force: true });
  const watcher = await context(options);
  await watcher.rebuild();
  await watcher.watch();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`login script built: ${(await buildLoginScript()).join(", ")}`);
}
