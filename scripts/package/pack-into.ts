/**
 * Builds the package as `npm pack` does (the prepack step, scripts/package/build.ts), packs it without
 * scripts (`prepare` would regenerate the Prisma clients that running tests import), and unpacks the
 * tarball as `<dir>/node_modules/textgate`, the way a host's install lays it out. Used by the package
 * test and `npm run bench:kit-size`.
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Runs `fn` while no other process of this checkout packs: the build empties dist/ first, so two test
 * files packing at once (tests/package/package.test.ts, ws.test.ts) would pack each other's half-built
 * dist/. A directory is the lock (mkdir is atomic); one older than two minutes is a crashed packer's.
 */
function exclusively<T>(fn: () => T): T {
  const lock = path.join(os.tmpdir(), `textgate-pack-${crypto.createHash("sha256").update(root).digest("hex").slice(0, 12)}.lock`);
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) fs.rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * `npm test` packs once (scripts/test.sh runs this file) and names the tarball in TEXTGATE_PACKED_TARBALL,
 * so the package tests and the e2e spec of textgate/embed unpack that one instead of building it again.
 */
const PACKED_ENV = "TEXTGATE_PACKED_TARBALL";

export function packInto(dir: string): { tarball: string; filename: string; installed: string } {
  const reused = process.env[PACKED_ENV];
  let filename: string;
  if (reused && fs.existsSync(reused)) {
    filename = path.basename(reused);
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(reused, path.join(dir, filename));
  } else {
    const [packed] = exclusively(() => {
      execFileSync(process.execPath, ["--import", "tsx", "scripts/package/build.ts"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
      return JSON.parse(execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })) as { filename: string }[];
    });
    filename = packed!.filename;
  }
  const tarball = path.join(dir, filename);
  const installed = path.join(dir, "node_modules", "textgate");
  // An earlier install's files would outlive this one's (examples/next-host is installed into again each run).
  fs.rmSync(installed, { recursive: true, force: true });
  fs.mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["xzf", tarball, "-C", installed, "--strip-components=1"]);
  return { tarball, filename, installed };
}

// `node --import tsx scripts/package/pack-into.ts <dir>`: packs afresh into an emptied <dir> and prints the tarball's path.
// `… pack-into.ts --install <dir>`: installs the tarball (TEXTGATE_PACKED_TARBALL's, else a fresh one) into the
// project <dir>, leaving the rest of it alone: how scripts/test.sh installs textgate into examples/next-host.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const install = process.argv[2] === "--install";
  const dir = path.resolve((install ? process.argv[3] : process.argv[2]) ?? "tmp/packed");
  if (!install) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    delete process.env[PACKED_ENV];
  } else if (!fs.existsSync(path.join(dir, "package.json"))) {
    throw new Error(`pack-into --install: ${dir} has no package.json`);
  }
  process.stdout.write(`${packInto(dir).tarball}\n`);
}
