/**
 * The test servers' code, bundled once per Vitest run (tests/global-setup.ts). A test run starts about 200
 * server processes; through `node --import tsx server.ts` each spent about half of its 2 s of start-up
 * CPU in tsx's loader (its resolve and load hooks answer every module from a separate thread). The bundle
 * is the same source compiled by esbuild, which tsx itself uses: packages stay external, and each file's
 * `import.meta.url` stays its own, so paths such as prisma/ and the generated clients resolve as before.
 * The Playwright servers start from such a bundle too (e2e/support/serve.ts builds one per server); `npm start`
 * and TEXTGATE_TEST_SERVER=tsx keep running the source through tsx.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

export const SERVER_BUNDLE_ENV = "TEXTGATE_TEST_SERVER_BUNDLE";

/** Replaces `import.meta.url` in each of the repository's files with that file's own URL. */
function ownImportMetaUrl(root: string): Plugin {
  return {
    name: "own-import-meta-url",
    setup(b) {
      b.onLoad({ filter: /\.[cm]?tsx?$/ }, async (args) => {
        if (!args.path.startsWith(root) || args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const source = await fs.promises.readFile(args.path, "utf8");
        return { contents: source.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)), loader: args.path.endsWith("x") ? "tsx" : "ts" };
      });
    },
  };
}

/** Bundles server.ts into `<outDir>/server.mjs`; `outDir` must be inside the repository, so packages resolve from its node_modules. */
export async function buildServerBundle(root: string, outDir: string): Promise<string> {
  const outfile = path.join(outDir, "server.mjs");
  await build({
    entryPoints: [path.join(root, "server.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    // package.json's "sideEffects" is for hosts bundling the package; here every import of server.ts must run.
    ignoreAnnotations: true,
    sourcemap: "inline",
    logLevel: "warning",
    plugins: [ownImportMetaUrl(root)],
  });
  return outfile;
}
