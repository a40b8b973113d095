/**
 * The repository's own source files and what each imports, read as text: enough for the architecture
 * tests, which check the direction of imports and who touches which table.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SKIPPED = new Set(["node_modules", "generated", ".next", ".git", "playwright-report", "test-results"]);

export interface SourceFile {
  /** Relative to the repository root, with "/" separators. */
  path: string;
  text: string;
}

/** Every .ts/.tsx file below `folder` (relative to the repository root), or that one file. */
export function sourceFiles(folder: string): SourceFile[] {
  const files: SourceFile[] = [];
  if (fs.statSync(path.join(REPO_ROOT, folder)).isFile()) return [{ path: folder, text: fs.readFileSync(path.join(REPO_ROOT, folder), "utf8") }];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })) {
      if (SKIPPED.has(entry.name)) continue;
      const relative = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (/\.tsx?$/.test(entry.name)) files.push({ path: relative, text: fs.readFileSync(path.join(REPO_ROOT, relative), "utf8") });
    }
  };
  walk(folder);
  return files;
}

const SPECIFIERS = /(?:^|[\s;])(?:import|export)\s[^"'`;]*?from\s*["']([^"']+)["']|(?:^|[\s;])import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm;

/** The repository paths `file` imports (relative and "@/" specifiers); packages are left out. */
export function importsOf(file: SourceFile): string[] {
  const found: string[] = [];
  for (const match of file.text.matchAll(SPECIFIERS)) {
    const specifier = match[1] ?? match[2] ?? match[3] ?? "";
    if (specifier.startsWith("@/")) found.push(specifier.slice(2));
    else if (specifier.startsWith(".")) found.push(path.posix.normalize(path.posix.join(path.posix.dirname(file.path), specifier)));
  }
  return found;
}
