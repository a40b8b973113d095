/**
 * The package's public subpaths (package.json `exports`), each built from one source file. The build
 * (scripts/package/build.ts) and the package test (tests/package/package.test.ts) read this list, and
 * the test checks that package.json's `exports` matches it.
 */
export interface PackageEntry {
  /** The subpath after `textgate/`. */
  subpath: string;
  /** The source file, from the repository root. */
  source: string;
  /** Starts with "use client" (React components and hooks for Next's App Router). */
  client?: boolean;
  /**
   * One self-contained browser file (a script tag's `src`): every dependency bundled, its CSS inlined,
   * minified, and a side effect of importing it (it registers a custom element).
   */
  browser?: boolean;
}

export const PACKAGE_ENTRIES: readonly PackageEntry[] = [
  { subpath: "client", source: "lib/client/index.ts" },
  { subpath: "playwright", source: "lib/testing/playwright.ts" },
  { subpath: "react", source: "components/verification/index.ts", client: true },
  { subpath: "next-auth", source: "server/kit/next-auth.ts" },
  { subpath: "embed", source: "components/verify-element/index.ts", browser: true },
  { subpath: "ws", source: "server/kit/ws.ts" },
  { subpath: "server", source: "server/kit/server.ts" },
];

/** Stylesheets the package exports, by subpath: each is the CSS esbuild bundles out of an entry's CSS modules. */
export const PACKAGE_STYLES: readonly { subpath: string; from: string }[] = [{ subpath: "styles.css", from: "react" }];

/** dist paths of an entry: the ESM file and its declarations (tsc keeps the source tree under dist/types). */
export function distPaths(entry: PackageEntry): { js: string; types: string } {
  return { js: `./dist/${entry.subpath}.js`, types: `./dist/types/${entry.source.replace(/\.tsx?$/, ".d.ts")}` };
}
