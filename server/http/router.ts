/**
 * A small precompiled route table: static paths are one Map lookup, paths with `:param` segments are
 * one anchored regular expression each. Matching answers found, method_not_allowed (with the Allow
 * header value) or not_found, so the caller maps the last two to 405 and 404.
 */

export interface RouteSpec<T> {
  method: string;
  /** "/api/v1/verifications/:id/check": `:name` matches one non-empty segment. */
  path: string;
  value: T;
}

export type RouteMatch<T> =
  | { kind: "found"; value: T; params: Record<string, string> }
  | { kind: "method_not_allowed"; allow: string }
  | { kind: "not_found" };

interface PathEntry<T> {
  methods: Map<string, T>;
  allow: string;
}

interface DynamicPath<T> extends PathEntry<T> {
  pattern: RegExp;
  names: string[];
}

export interface Router<T> {
  match(method: string, path: string): RouteMatch<T>;
}

const NO_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>;
const NOT_FOUND = { kind: "not_found" } as const;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function compilePattern(path: string): { pattern: RegExp; names: string[] } | null {
  const names: string[] = [];
  const source = path
    .split("/")
    .map((segment) => {
      if (!segment.startsWith(":")) return escapeRegExp(segment);
      names.push(segment.slice(1));
      return "([^/]+)";
    })
    .join("/");
  return names.length ? { pattern: new RegExp(`^${source}$`), names } : null;
}

/** The Allow header: declared methods, plus HEAD wherever GET is served (HEAD is answered as GET). */
function allowHeader(methods: Iterable<string>): string {
  const list = [...methods];
  if (list.includes("GET") && !list.includes("HEAD")) list.push("HEAD");
  return list.join(", ");
}

export function compileRoutes<T>(routes: readonly RouteSpec<T>[]): Router<T> {
  const byPath = new Map<string, Map<string, T>>();
  for (const route of routes) {
    const methods = byPath.get(route.path) ?? new Map<string, T>();
    if (methods.has(route.method)) throw new Error(`duplicate route ${route.method} ${route.path}`);
    methods.set(route.method, route.value);
    byPath.set(route.path, methods);
  }

  const staticPaths = new Map<string, PathEntry<T>>();
  const dynamicPaths: DynamicPath<T>[] = [];
  for (const [path, methods] of byPath) {
    const entry = { methods, allow: allowHeader(methods.keys()) };
    const compiled = compilePattern(path);
    if (compiled) dynamicPaths.push({ ...entry, ...compiled });
    else staticPaths.set(path, entry);
  }

  function select(entry: PathEntry<T>, method: string, params: Record<string, string>): RouteMatch<T> {
    const value = entry.methods.get(method) ?? (method === "HEAD" ? entry.methods.get("GET") : undefined);
    return value === undefined ? { kind: "method_not_allowed", allow: entry.allow } : { kind: "found", value, params };
  }

  return {
    match(method, path) {
      const entry = staticPaths.get(path);
      if (entry) return select(entry, method, NO_PARAMS);
      for (const dynamic of dynamicPaths) {
        const found = dynamic.pattern.exec(path);
        if (!found) continue;
        const params: Record<string, string> = {};
        for (let i = 0; i < dynamic.names.length; i++) params[dynamic.names[i] as string] = found[i + 1] as string;
        return select(dynamic, method, params);
      }
      return NOT_FOUND;
    },
  };
}
