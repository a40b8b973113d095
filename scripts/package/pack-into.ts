/**
 * Builds the package as `npm pack` does (the prepack step, scripts/package/build.ts), packs it without
 * scripts (`prepare` would regenerate the Prisma clients that running tests import), and unpacks the
 * tarball as `<dir>/node_modules/textgate`, the way a host's install lays it out. Used by the package
 * test and `npm run bench:kit-size`.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function packInto(dir: string): { tarball: string; filename: string; installed: string } {
  execFileSync(process.execPath, ["--import", "tsx", "scripts/package/build.ts"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })) as { filename: string }[];
  const tarball = path.join(dir, packed!.filename);
  const installed = path.join(dir, "node_modules", "textgate");
  fs.mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["xzf", tarball, "-C", installed, "--strip-components=1"]);
  return { tarball, filename: packed!.filename, installed };
}
