/**
 * Prisma's schema engine (the part that diffs schemas and applies migrations), loaded from its official
 * Wasm build, because the native binary cannot be downloaded on machines without internet.
 * Migrations applied this way are recorded in the standard `_prisma_migrations` table, so the ordinary
 * `prisma migrate deploy` accepts the same database wherever the native engine is available.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import { type DatabaseTarget, ensureSqliteDirectory } from "./database-url.ts";

const require = createRequire(import.meta.url);
let loaded: Promise<typeof import("@prisma/schema-engine-wasm")> | undefined;

/** Node 20 cannot `import` a .wasm file, so the wasm-bindgen glue is wired up by hand. */
function loadWasm(): Promise<typeof import("@prisma/schema-engine-wasm")> {
  loaded ??= (async () => {
    const glue = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")), "schema_engine_bg.wasm");
    const module = new WebAssembly.Module(fs.readFileSync(wasmPath));
    const instance = new WebAssembly.Instance(module, { "./schema_engine_bg.js": glue as unknown as WebAssembly.ModuleImports });
    const exports = instance.exports as unknown as { __wbindgen_start(): void };
    (glue as unknown as { __wbg_set_wasm(e: unknown): void }).__wbg_set_wasm(exports);
    exports.__wbindgen_start();
    return glue as unknown as typeof import("@prisma/schema-engine-wasm");
  })();
  return loaded;
}

export const EMPTY_FILTERS = { externalTables: [], externalEnums: [] };

interface Disposable {
  dispose(): Promise<void>;
}

interface AdapterFactory {
  readonly provider: string;
  readonly adapterName: string;
  connect(): Promise<Disposable>;
  connectToShadowDb?(): Promise<Disposable>;
}

export interface OpenEngine {
  engine: SchemaEngine;
  /** Frees the engine and closes every connection it opened (SQLite keeps a lock until then). */
  close(): Promise<void>;
}

export async function openSchemaEngine(target: DatabaseTarget, schemaText: string, log: (line: string) => void = () => {}): Promise<OpenEngine> {
  const wasm = await loadWasm();
  ensureSqliteDirectory(target);
  const factory = (
    target.provider === "sqlite" ? new PrismaBetterSqlite3({ url: `file:${target.url}` }) : new PrismaPg({ connectionString: target.url })
  ) as unknown as AdapterFactory;
  const opened: Disposable[] = [];
  const track = async (connection: Promise<Disposable>) => {
    const adapter = await connection;
    opened.push(adapter);
    return adapter;
  };
  const tracking: AdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => track(factory.connect()),
    ...(factory.connectToShadowDb ? { connectToShadowDb: () => track((factory.connectToShadowDb as () => Promise<Disposable>).call(factory)) } : {}),
  };
  const adapter = bindMigrationAwareSqlAdapterFactory(tracking as never);
  const engine = await wasm.SchemaEngine.new({ datamodels: [["schema.prisma", schemaText]] }, (line: string) => log(line), adapter);
  return {
    engine,
    async close() {
      engine.free();
      await Promise.allSettled(opened.map((a) => a.dispose()));
    },
  };
}

/** SQL that turns the `from` schema into the `to` schema (no database needed). */
export async function diffSchemas(target: DatabaseTarget, from: string | null, to: string): Promise<string> {
  const { engine, close } = await openSchemaEngine(target, to);
  try {
    const result = await engine.diff({
      from: from === null ? { tag: "empty" } : { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: from }] },
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: to }] },
      script: true,
      shadowDatabaseUrl: null,
      exitCode: null,
      filters: EMPTY_FILTERS,
    } as never);
    return (result as { stdout: string }).stdout;
  } finally {
    await close();
  }
}
