/**
 * The published package: built the way `npm pack` builds it (prepack → scripts/package/build.ts), then
 * packed, linted with publint and @arethetypeswrong/cli, and used as a host would use it: installed
 * under node_modules/textgate of a scratch project, imported by Node and type-checked by TypeScript
 * through package.json `exports` (not through a path alias).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distPaths, PACKAGE_ENTRIES } from "../../scripts/package/entries.ts";
import { REPO_ROOT } from "../helpers/server.ts";

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
  private?: boolean;
  files: string[];
  exports: Record<string, unknown>;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};

let scratch: string;
let tarball: string;
let host: string;

function run(command: string, args: string[], cwd = REPO_ROOT): string {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
}

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "textgate-pack-"));
  // The prepack step, then a pack without scripts: `prepare` would regenerate the Prisma clients while
  // other test files import them.
  run(process.execPath, ["--import", "tsx", manifest.scripts.prepack!.replace(/^node --import tsx /, "")]);
  const packed = JSON.parse(run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch])) as { filename: string }[];
  tarball = path.join(scratch, packed[0]!.filename);

  // A host project: the tarball unpacked as node_modules/textgate, its other dependencies from ours.
  host = path.join(scratch, "host");
  const installed = path.join(host, "node_modules", "textgate");
  fs.mkdirSync(installed, { recursive: true });
  run("tar", ["xzf", tarball, "-C", installed, "--strip-components=1"]);
  for (const dep of fs.readdirSync(path.join(REPO_ROOT, "node_modules"))) {
    if (dep === "textgate" || dep === ".bin" || dep.startsWith(".")) continue;
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules", dep), path.join(host, "node_modules", dep));
  }
  fs.writeFileSync(path.join(host, "package.json"), JSON.stringify({ name: "host", private: true, type: "module" }));
}, 180_000);

afterAll(() => {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe("package.json", () => {
  it("is publishable: not private, a license, files, sideEffects, and `npm pack` builds it", () => {
    expect(manifest.private).toBeUndefined();
    expect(manifest).toMatchObject({ license: "MIT", sideEffects: false, files: expect.arrayContaining(["dist", "LICENSE"]) });
    expect(manifest.scripts.prepack).toBe("node --import tsx scripts/package/build.ts");
    // npm runs a dependency's postinstall in the host; the Prisma generation is for this repository only.
    expect(manifest.scripts.postinstall).toBeUndefined();
  });

  it("exports exactly the subpaths of scripts/package/entries.ts, each with its types first", () => {
    const expected: Record<string, unknown> = { "./package.json": "./package.json" };
    for (const entry of PACKAGE_ENTRIES) {
      const { js, types } = distPaths(entry);
      expected[`./${entry.subpath}`] = { types, default: js };
    }
    expect(manifest.exports).toEqual(expected);
    for (const value of Object.values(manifest.exports)) if (typeof value === "object") expect(Object.keys(value!)[0]).toBe("types");
  });

  it("takes the frameworks as optional peers, not as dependencies a host would get a second copy of", () => {
    for (const framework of ["next", "next-auth", "react", "react-dom", "@playwright/test"]) {
      expect(manifest.dependencies[framework], framework).toBeUndefined();
      expect(manifest.peerDependencies[framework], framework).toBeDefined();
      expect(manifest.peerDependenciesMeta[framework]?.optional, framework).toBe(true);
    }
  });
});

describe("the packed tarball", () => {
  it("holds the built entries and their declarations, and nothing of the app", () => {
    const files = run("tar", ["tzf", tarball]).split("\n").filter(Boolean).map((f) => f.replace(/^package\//, ""));
    for (const entry of PACKAGE_ENTRIES) {
      const { js, types } = distPaths(entry);
      expect(files).toContain(js.slice(2));
      expect(files).toContain(types.slice(2));
    }
    expect(files.filter((f) => /^(app|server|components|prisma|scripts|tests|e2e)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
  });

  it("passes publint", () => {
    const output = run(process.execPath, [path.join(REPO_ROOT, "node_modules/publint/src/cli.js"), tarball, "--strict"]);
    expect(output).toMatch(/All good/);
  }, 60_000);

  it("passes @arethetypeswrong/cli (ESM only: node16 and bundler resolution)", () => {
    // Exits non-zero on any problem; the output is in the failure message.
    run(process.execPath, [path.join(REPO_ROOT, "node_modules/@arethetypeswrong/cli/dist/index.js"), tarball, "--profile", "esm-only", "--format", "ascii"]);
  }, 120_000);

  it("is imported by Node through `exports`", () => {
    const script = `
      import { createTextgateClient, TextgateRequestError } from "textgate/client";
      import { codeIn, textgateFixtures } from "textgate/playwright";
      const client = createTextgateClient({ baseUrl: "https://verify.example.com", apiKey: "k",
        fetch: async () => new Response(JSON.stringify({ error: { code: "verification_not_found", message: "gone" } }), { status: 404 }) });
      const error = await client.verifications.get("x").catch((e) => e);
      console.log(JSON.stringify({ ok: error instanceof TextgateRequestError, code: error.code, fixtures: Object.keys(textgateFixtures({ baseUrl: "x", apiKey: "y" })).sort(), code2: codeIn("Your code is 123456\\n\\n@example.com #123456") }));
    `;
    fs.writeFileSync(path.join(host, "import.mjs"), script);
    expect(JSON.parse(run(process.execPath, ["import.mjs"], host))).toEqual({
      ok: true,
      code: "verification_not_found",
      fixtures: ["fillCode", "fillPhone", "inbox", "newPhoneNumber", "phoneNumber", "textgate"],
      code2: "123456",
    });
  });

  it("type-checks the README's package snippets against its declarations (node16 and bundler resolution)", () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const from = readme.indexOf("\n## Using textgate from your app");
    const section = readme.slice(from, readme.indexOf("\n## ", from + 5));
    const snippets = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(snippets.length).toBeGreaterThanOrEqual(2);
    const files = snippets.map((code, i) => {
      fs.writeFileSync(path.join(host, `snippet-${i}.ts`), code);
      return `snippet-${i}.ts`;
    });
    for (const moduleResolution of ["node16", "bundler"]) {
      fs.writeFileSync(
        path.join(host, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            target: "ES2022",
            lib: ["ES2023", "DOM"],
            module: moduleResolution === "node16" ? "node16" : "esnext",
            moduleResolution,
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            types: ["node"],
          },
          files,
        }),
      );
      try {
        run(process.execPath, [path.join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], host);
      } catch (error) {
        throw new Error(`tsc (${moduleResolution}) failed:\n${(error as { stdout?: string }).stdout ?? String(error)}`);
      }
    }
  }, 120_000);
});
