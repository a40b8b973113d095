/**
 * `npm run bench:kit-size`: what the package weighs. Packs it (the prepack build, then `npm pack`),
 * then bundles a host page that imports `VerifyFlow` and `nextAuthAdapter` from the packed
 * `textgate/react` as a host's bundler would (minified, React and next-auth left to the host), and
 * prints the tarball's size and the gzip size of the JavaScript (at load and loaded later), of
 * `textgate/styles.css` and of `textgate/embed` (one file with everything inside: what a page without
 * React loads for <textgate-verify>).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { build } from "esbuild";
import { packInto } from "../package/pack-into.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "textgate-kit-size-"));
const gzip = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

try {
  const { tarball, filename, installed } = packInto(scratch);
  for (const dep of ["libphonenumber-js"]) fs.symlinkSync(path.join(root, "node_modules", dep), path.join(scratch, "node_modules", dep));
  fs.writeFileSync(path.join(scratch, "page.js"), 'import { VerifyFlow, nextAuthAdapter } from "textgate/react";\nexport { VerifyFlow, nextAuthAdapter };\n');
  const result = await build({
    absWorkingDir: scratch,
    entryPoints: ["page.js"],
    outdir: path.join(scratch, "out"),
    bundle: true,
    minify: true,
    splitting: true,
    format: "esm",
    preserveSymlinks: true,
    external: ["react", "react-dom", "react/jsx-runtime", "next-auth", "next-auth/*"],
    metafile: true,
    logLevel: "warning",
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => path.join(scratch, file));
  const atLoad = outputs.filter((file) => file.endsWith("page.js"));
  const later = outputs.filter((file) => !file.endsWith("page.js"));
  const sum = (files: string[]) => files.reduce((total, file) => total + gzip(file), 0);
  console.log(`tarball: ${kb(fs.statSync(tarball).size)} (${filename})`);
  console.log(`textgate/react, VerifyFlow + nextAuthAdapter: ${kb(sum(atLoad))} gzip at load, ${kb(sum(later))} gzip loaded lazily by PhoneInput (libphonenumber-js)`);
  console.log(`textgate/styles.css: ${kb(gzip(path.join(installed, "dist", "styles.css")))} gzip`);
  console.log(`textgate/embed, <textgate-verify> with its styles and the phone library: ${kb(gzip(path.join(installed, "dist", "embed.js")))} gzip`);
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
