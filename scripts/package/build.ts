/**
 * Builds the package into dist/ (run by `npm pack` through `prepack`): one ESM file per subpath of
 * entries.ts, bundled by esbuild with every dependency left external (shared modules split into
 * chunks), and `.d.ts` files from tsc. Sources import with `.ts` suffixes, which tsc keeps in
 * declarations; they are rewritten to `.js` so that a host's TypeScript resolves them to the `.d.ts`.
 * Browser entries (`browser: true`) are built apart, as one file each with everything inside.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type BuildOptions, build, type OutputFile } from "esbuild";
import { PACKAGE_ENTRIES, PACKAGE_STYLES } from "./entries.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dist = path.join(root, "dist");

fs.rmSync(dist, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(PACKAGE_ENTRIES.filter((e) => !e.browser).map((e) => [e.subpath, e.source])),
  outdir: dist,
  bundle: true,
  splitting: true,
  format: "esm",
  // Node and browsers alike; Node-only entries import node: modules, which stay imports.
  platform: "neutral",
  target: "es2022",
  packages: "external",
  external: ["node:*"],
  chunkNames: "chunks/[name]-[hash]",
  // The components' CSS modules: class names scoped (tg_…) and the rules bundled into <entry>.css.
  loader: { ".module.css": "local-css" },
  jsx: "automatic",
  legalComments: "none",
  logLevel: "warning",
});

// A browser entry: one ES module (a `<script type="module">` or a bundler's import), no chunks, the phone
// library inside, and the rules of its CSS modules inlined as TEXTGATE_EMBED_CSS for its shadow root. The
// first pass only collects that CSS; local-css names classes by file and name, so both passes agree.
for (const entry of PACKAGE_ENTRIES.filter((e) => e.browser)) {
  const options = {
    absWorkingDir: root,
    entryPoints: { [entry.subpath]: entry.source },
    outdir: dist,
    bundle: true,
    format: "esm",
    platform: "browser",
    // Next.js 16's default browser list, as for the /login script (scripts/build-login-script.ts).
    target: ["chrome111", "edge111", "firefox111", "safari16.4"],
    minify: true,
    loader: { ".module.css": "local-css" },
    legalComments: "none",
    logLevel: "warning",
    write: false,
  } satisfies BuildOptions;
  const cssOf = (files: OutputFile[]) => files.find((f) => f.path.endsWith(".css"))?.text ?? "";
  const css = cssOf((await build({ ...options, define: { TEXTGATE_EMBED_CSS: "undefined" } })).outputFiles);
  const result = await build({ ...options, define: { TEXTGATE_EMBED_CSS: JSON.stringify(css) } });
  if (cssOf(result.outputFiles) !== css) throw new Error(`${entry.subpath}: the two passes bundled different CSS`);
  const js = result.outputFiles.find((f) => f.path.endsWith(".js"));
  if (!js) throw new Error(`${entry.subpath}: esbuild wrote no JavaScript`);
  fs.writeFileSync(path.join(dist, `${entry.subpath}.js`), js.contents);
}

// "use client" must be the first statement of a client entry; esbuild drops module directives when bundling.
for (const entry of PACKAGE_ENTRIES.filter((e) => e.client)) {
  const file = path.join(dist, `${entry.subpath}.js`);
  fs.writeFileSync(file, `"use client";\n${fs.readFileSync(file, "utf8")}`);
}

for (const style of PACKAGE_STYLES) fs.renameSync(path.join(dist, `${style.from}.css`), path.join(dist, style.subpath));

// textgate/server migrates a host's database at start: it finds the schemas and migrations in dist/prisma
// (server/db/migrations.ts). The composed models.prisma is the source of both schemas, not needed at run time.
for (const provider of ["sqlite", "postgresql"]) fs.cpSync(path.join(root, "prisma", provider), path.join(dist, "prisma", provider), { recursive: true });

// Declarations of the entries and what they import, from the repository's own compiler settings.
const tsconfig = path.join(dist, "tsconfig.declarations.json");
fs.writeFileSync(
  tsconfig,
  JSON.stringify({
    extends: "../tsconfig.json",
    compilerOptions: { noEmit: false, declaration: true, emitDeclarationOnly: true, incremental: false, rootDir: "..", outDir: "types", plugins: [] },
    include: [],
    // The next-auth session fields textgate adds (types/next-auth.d.ts), which textgate/server's auth feature reads.
    files: ["../types/next-auth.d.ts", ...PACKAGE_ENTRIES.map((e) => `../${e.source}`)],
  }),
);
try {
  execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", tsconfig], { cwd: root, stdio: "inherit" });
} finally {
  fs.rmSync(tsconfig);
}

const relativeTs = /((?:from|import)\s*\(?\s*["'])(\.{1,2}\/[^"']+?)\.tsx?(["'])/g;
function rewrite(dir: string): void {
  for (const item of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, item.name);
    if (item.isDirectory()) rewrite(file);
    else if (item.name.endsWith(".d.ts")) fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(relativeTs, "$1$2.js$3"));
  }
}
rewrite(path.join(dist, "types"));
console.log(`built ${PACKAGE_ENTRIES.map((e) => `textgate/${e.subpath}`).join(", ")} into dist/`);
