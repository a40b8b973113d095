/**
 * The published package: built and packed the way `npm pack` does (scripts/package/pack-into.ts), linted with publint and @arethetypeswrong/cli, and used as a host would use it: installed
 * under node_modules/textgate of a scratch project, imported by Node and type-checked by TypeScript
 * through package.json `exports` (not through a path alias).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distPaths, PACKAGE_ENTRIES, PACKAGE_STYLES } from "../../scripts/package/entries.ts";
import { packInto } from "../../scripts/package/pack-into.ts";
import { EMBED_SNIPPETS } from "../../components/embed/snippets.ts";
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

/**
 * Runs tsc over `files` in `dir` (a host project under `host`), with node16 and bundler resolution unless told, and
 * expects no error outside other packages' declarations. Stylesheet imports are declared as a Next.js app's
 * next-env.d.ts does (Next's own declarations are left out: with skipLibCheck off, which checks ours, they do
 * not compile on their own).
 */
function expectTypeChecks(dir: string, files: string[], options: { paths?: Record<string, string[]>; resolutions?: string[] } = {}): void {
  const { paths, resolutions = ["node16", "bundler"] } = options;
  fs.writeFileSync(path.join(dir, "styles.d.ts"), 'declare module "*.css";\n');
  for (const moduleResolution of resolutions) {
    fs.writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          lib: ["ESNext", "DOM", "DOM.Iterable"],
          module: moduleResolution === "node16" ? "node16" : "esnext",
          moduleResolution,
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ["node"],
          jsx: "react-jsx",
          ...(paths ? { paths } : {}),
        },
        files: ["styles.d.ts", ...files],
      }),
    );
    // skipLibCheck stays off so that textgate's own declarations are checked; errors inside other
    // packages' declarations (next and next-auth do not compile with it off) are not ours to fix.
    let output = "";
    try {
      run(process.execPath, [path.join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], dir);
    } catch (error) {
      output = (error as { stdout?: string }).stdout ?? String(error);
    }
    const ours = output.split("\n").filter((line) => /error TS/.test(line) && (!line.includes("node_modules/") || line.includes("node_modules/textgate/")));
    expect(ours, `tsc (${moduleResolution}) in ${dir}:\n${output}`).toEqual([]);
  }
}

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "textgate-pack-"));
  // A host project: the tarball unpacked as node_modules/textgate, its other dependencies from ours.
  host = path.join(scratch, "host");
  fs.mkdirSync(host);
  ({ tarball } = packInto(host));
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
  it("is publishable: not private, a license, files, sideEffects (the stylesheet, and textgate/embed, which registers its element), and `npm pack` builds it", () => {
    expect(manifest.private).toBeUndefined();
    expect(manifest).toMatchObject({ license: "MIT", sideEffects: ["*.css", "./dist/embed.js"], files: expect.arrayContaining(["dist", "LICENSE"]) });
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
    for (const style of PACKAGE_STYLES) expected[`./${style.subpath}`] = `./dist/${style.subpath}`;
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
    for (const style of PACKAGE_STYLES) expect(files).toContain(`dist/${style.subpath}`);
    expect(files.filter((f) => /^(app|server|components|prisma|scripts|tests|e2e)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
  });

  it("passes publint", () => {
    const output = run(process.execPath, [path.join(REPO_ROOT, "node_modules/publint/src/cli.js"), tarball, "--strict"]);
    expect(output).toMatch(/All good/);
  }, 60_000);

  it("passes @arethetypeswrong/cli (ESM only: node16 and bundler resolution; stylesheets have no types)", () => {
    // Exits non-zero on any problem; the output is in the failure message.
    run(process.execPath, [path.join(REPO_ROOT, "node_modules/@arethetypeswrong/cli/dist/index.js"), tarball, "--profile", "esm-only", "--format", "ascii", "--exclude-entrypoints", ...PACKAGE_STYLES.map((s) => `./${s.subpath}`)]);
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

  it("runs textgate in the host's own process through textgate/server: migrates a fresh database, and textgate/next-auth signs in in process", () => {
    const script = `
      import { createTextgate, loadConfig } from "textgate/server";
      import { createSmsAuthRoutes, SmsProvider } from "textgate/next-auth";
      const textgate = await createTextgate(loadConfig(), { startScheduler: false });
      const routes = createSmsAuthRoutes({ textgate, codeLength: 7, clientIp: () => "203.0.113.9" });
      const phone = "+12125550123";
      const started = await routes.start.POST(new Request("http://host.example/api/auth/sms/start", {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ phone }) }));
      const challenge = await started.json();
      const [text] = await textgate.sandbox.listMessages(phone, { limit: 1 });
      const code = /\\b(\\d{7})\\b/.exec(text.body)[1];
      const user = await SmsProvider({ textgate }).options.authorize({ verificationId: challenge.verificationId, code, name: "Host" }, {});
      await textgate.close();
      console.log(JSON.stringify({ status: started.status, codeLength: challenge.codeLength, user }));
    `;
    fs.writeFileSync(path.join(host, "in-process.mjs"), script);
    const env = { ...process.env, NODE_ENV: "development" as const, DATABASE_URL: "file:./data/in-process.db", TEXTGATE_SECRET: "host-secret-host-secret-host-secret-0123", LOG_LEVEL: "silent" };
    const output = execFileSync(process.execPath, ["in-process.mjs"], { cwd: host, encoding: "utf8", env });
    expect(JSON.parse(output)).toMatchObject({ status: 200, codeLength: 7, user: { name: "Host", phone: "+12125550123", accountExisted: false } });
    // The migrations came from the package (dist/prisma), not from this repository.
    expect(fs.existsSync(path.join(host, "node_modules/textgate/dist/prisma/sqlite/migrations"))).toBe(true);
    expect(fs.existsSync(path.join(host, "data/in-process.db"))).toBe(true);
  }, 120_000);

  it("renders textgate/react's components in Node, with 'use client' kept on the entry", () => {
    expect(fs.readFileSync(path.join(host, "node_modules/textgate/dist/react.js"), "utf8").startsWith('"use client";')).toBe(true);
    const script = `
      import { createElement } from "react";
      import { renderToString } from "react-dom/server";
      import { PhoneInput, TokenInput, VerifyFlow, nextAuthAdapter, restAdapter } from "textgate/react";
      const adapter = nextAuthAdapter({ callbackUrl: "/account", basePath: "/auth" });
      const html = [
        renderToString(createElement(PhoneInput, { defaultCountry: "US", onChange() {} })),
        renderToString(createElement(TokenInput, { length: 6, onComplete() {} })),
        renderToString(createElement(VerifyFlow, { adapter: restAdapter({ baseUrl: "/api/textgate" }) })),
      ].join("");
      console.log(JSON.stringify({ phone: html.includes("Phone number"), boxes: (html.match(/Character \\d of 6/g) ?? []).length, adapter: typeof adapter.start }));
    `;
    fs.writeFileSync(path.join(host, "react.mjs"), script);
    expect(JSON.parse(run(process.execPath, ["react.mjs"], host))).toEqual({ phone: true, boxes: 6, adapter: "function" });
  });

  it("ships textgate/embed as one self-contained browser module, its styles inside, harmless to import in Node", () => {
    const js = fs.readFileSync(path.join(host, "node_modules/textgate/dist/embed.js"), "utf8");
    // No import of another file (not even the phone library's chunk): a script tag's src alone is the element.
    expect(js).not.toMatch(/\bimport\s*\(|\bfrom\s*["']|^import\s/m);
    expect(js).toMatch(/var\(--tg-accent,/);
    fs.writeFileSync(path.join(host, "embed.mjs"), 'const m = await import("textgate/embed"); console.log(JSON.stringify({ define: typeof m.defineTextgateVerify, tag: m.TEXTGATE_VERIFY_TAG }));');
    expect(JSON.parse(run(process.execPath, ["embed.mjs"], host))).toEqual({ define: "function", tag: "textgate-verify" });
  });

  it("ships a stylesheet whose every custom property has a default, for a page with no textgate CSS", () => {
    const css = fs.readFileSync(path.join(host, "node_modules/textgate/dist/styles.css"), "utf8");
    expect(css).toMatch(/var\(--tg-accent, /);
    expect(css.match(/var\(--[a-z0-9-]+\)/g) ?? [], "var() without a fallback").toEqual([]);
  });

  it("type-checks the README's package snippets against its declarations (node16 and bundler resolution)", () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const from = readme.indexOf("\n## Using textgate from your app");
    const section = readme.slice(from, readme.indexOf("\n## ", from + 5));
    const snippets = [...section.matchAll(/```(tsx?)\n([\s\S]*?)```/g)].map((m) => ({ ext: m[1]!, code: m[2]! }));
    expect(snippets.length).toBeGreaterThanOrEqual(3);
    // The README's HTML block (<textgate-verify>) is the /embed page's, checked in the next test.
    expect(section).toContain(EMBED_SNIPPETS.element.code);
    const files = snippets.map(({ ext, code }, i) => {
      fs.writeFileSync(path.join(host, `snippet-${i}.${ext}`), code);
      return `snippet-${i}.${ext}`;
    });
    expectTypeChecks(host, files);
  }, 120_000);

  it("type-checks every snippet of /embed as the files of one host app (components/embed/snippets.ts)", () => {
    // Each snippet at its path in the app, so that `@/auth` in one is auth.ts of another.
    const app = path.join(host, "embed-app");
    const files: string[] = [];
    const write = (file: string, code: string) => {
      fs.mkdirSync(path.dirname(path.join(app, file)), { recursive: true });
      fs.writeFileSync(path.join(app, file), code);
      files.push(file);
    };
    const css = fs.readFileSync(path.join(host, "node_modules/textgate/dist/styles.css"), "utf8");
    for (const snippet of Object.values(EMBED_SNIPPETS)) {
      if (/\.tsx?$/.test(snippet.file)) write(snippet.file, snippet.code);
      else if (snippet.file.endsWith(".html")) {
        // The page's module scripts, with textgate/embed's declarations in scope as its script tag loads it.
        const scripts = [...snippet.code.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
        expect(scripts.length, snippet.file).toBeGreaterThan(0);
        expect(snippet.code).toMatch(/<script type="module" src="[^"]+"><\/script>/);
        scripts.forEach((code, i) => write(`${snippet.file}.${i}.ts`, code));
        write(`${snippet.file}.d.ts`, 'import "textgate/embed";\n');
      } else if (snippet.file.endsWith(".css")) {
        // Only custom properties the stylesheet reads.
        const properties = [...snippet.code.matchAll(/(--tg-[a-z-]+):/g)].map((m) => m[1]!);
        expect(properties.length).toBeGreaterThan(0);
        for (const property of properties) expect(css, property).toContain(`var(${property},`);
      } else throw new Error(`no check for the snippet ${snippet.file}`);
    }
    // As a Next.js app compiles them: create-next-app's tsconfig resolves like a bundler and maps `@/*`.
    expectTypeChecks(app, files, { paths: { "@/*": ["./*"] }, resolutions: ["bundler"] });
  }, 120_000);
});
