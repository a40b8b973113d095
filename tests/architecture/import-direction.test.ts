/**
 * Layers, lowest first: lib/ (isomorphic, imports nothing of the repository outside itself), then the
 * carriers (server/carriers/), then the engine (server/verification/), which hands texts to carriers.
 * Shared types (lib/channels.ts, lib/sms-segments.ts) live below both so the two never import each other
 * in a circle (docs/architecture.md, "Layers").
 */
import { describe, expect, it } from "vitest";
import { importsOf, sourceFiles } from "./source-files.ts";

/** `from` → the imports of files below `from` that reach into `forbidden`. */
function crossings(from: string, forbidden: (target: string) => boolean): string[] {
  return sourceFiles(from).flatMap((file) => importsOf(file).filter(forbidden).map((target) => `${file.path} → ${target}`));
}

describe("import direction", () => {
  it("reads imports, so the rules below can fail", () => {
    const delivery = sourceFiles("server/verification").find((f) => f.path === "server/verification/delivery.ts");
    expect(delivery && importsOf(delivery)).toContain("server/carriers/registry.ts");
    expect(importsOf({ path: "a/b.ts", text: 'import x from "@/lib/errors.ts";\nconst m = await import("../c/d.ts");\nexport * from "./e.ts";' })).toEqual([
      "lib/errors.ts",
      "c/d.ts",
      "a/e.ts",
    ]);
  });

  it("lib/ imports nothing of the repository outside lib/", () => {
    expect(crossings("lib", (target) => !target.startsWith("lib/"))).toEqual([]);
  });

  it("the carriers do not import the engine", () => {
    expect(crossings("server/carriers", (target) => target.startsWith("server/verification/"))).toEqual([]);
  });
});

describe("one composition root", () => {
  const scanned = ["server.ts", "server", "app", "pages", "lib", "components"].flatMap(sourceFiles).filter((f) => !/\.test\.tsx?$/.test(f.path));

  it("keeps one value on globalThis: the Textgate of server/bridge.ts", () => {
    // Reading globalThis's own functions (fetch) is fine; storing state there is what the rule is about.
    const storing = scanned.filter((f) => /globalThis\.__|var __\w+/.test(f.text)).map((f) => f.path);
    expect(storing).toEqual(["server/bridge.ts"]);
  });

  it("builds the features in server/textgate.ts only, and lets app/ and pages/ reach them only through the bridge", () => {
    expect(scanned.filter((f) => /\bcreateTextgate\(/.test(f.text) && !f.path.startsWith("server/kit/")).map((f) => f.path).sort()).toEqual(["server.ts", "server/textgate.ts"]);
    const routeModules = scanned.filter((f) => f.path.startsWith("app/") || f.path.startsWith("pages/"));
    expect(routeModules.length).toBeGreaterThan(10);
    const reachingIn = routeModules.flatMap((f) => importsOf(f).filter((target) => target === "server/textgate.ts" || target.startsWith("server/db/")).map((t) => `${f.path} → ${t}`));
    expect(reachingIn).toEqual([]);
  });
});
