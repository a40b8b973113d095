/**
 * Bundles the /login page's script (components/login-page/login-script.ts) into public/_textgate/ with
 * esbuild: an ES module for the browsers Next.js 16 supports, the phone library split into a chunk that
 * loads after the page. Part of `npm run build` and `npm run dev`.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outdir = path.join(root, "public/_textgate");

// Chunk names carry content hashes: start empty so old chunks do not pile up.
fs.rmSync(outdir, { recursive: true, force: true });

const result = await build({
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
});

const outputs = Object.entries(result.metafile.outputs).map(([file, output]) => `${path.relative(root, file)} ${(output.bytes / 1024).toFixed(1)} KB`);
console.log(`login script built: ${outputs.join(", ")}`);
