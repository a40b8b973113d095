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
