/**
 * Turning OpenAPI 3.1 schemas into what a reader needs: a type label, a list of constraints and a flat list of
 * fields (nested objects and arrays become `parent.child` and `list[].child` rows). $ref, allOf, anyOf and oneOf
 * are followed; recursion stops at a schema already on the path, and at a fixed depth.
 */
import type { OpenApiDocument, Reference, Schema, SchemaObject } from "./openapi-types.ts";

const MAX_DEPTH = 6;

export function isReference(value: unknown): value is Reference {
  return typeof value === "object" && value !== null && typeof (value as Reference).$ref === "string";
}

/** Follows a local reference such as "#/components/schemas/Verification"; undefined when it leads nowhere. */
export function lookupRef(doc: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Follows $ref chains on anything (parameters, bodies, responses); stops after a few hops. */
export function deref<T>(doc: OpenApiDocument, value: T | Reference | undefined): T | undefined {
  let current: unknown = value;
  for (let hops = 0; hops < 10 && isReference(current); hops++) current = lookupRef(doc, current.$ref);
  return isReference(current) ? undefined : (current as T | undefined);
}

export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf("/") + 1);
}

/** A schema object with $ref followed and allOf merged (sibling keywords of $ref win, as in 3.1). */
export function resolveSchema(doc: OpenApiDocument, schema: Schema | undefined, seen: ReadonlySet<string> = new Set()): SchemaObject {
  if (schema === undefined || typeof schema === "boolean") return {};
  let result: SchemaObject = schema;
  if (schema.$ref && !seen.has(schema.$ref)) {
    const target = lookupRef(doc, schema.$ref) as Schema | undefined;
    const { $ref, ...siblings } = schema;
    result = { ...resolveSchema(doc, target, new Set([...seen, $ref])), ...siblings };
  }
  if (result.allOf?.length) {
    const { allOf, ...rest } = result;
    let merged: SchemaObject = {};
    for (const part of allOf) merged = mergeSchemas(merged, resolveSchema(doc, part, seen));
    result = mergeSchemas(merged, rest);
  }
  return result;
}

function mergeSchemas(a: SchemaObject, b: SchemaObject): SchemaObject {
  return {
    ...a,
    ...b,
    properties: a.properties || b.properties ? { ...a.properties, ...b.properties } : undefined,
    required: a.required || b.required ? [...new Set([...(a.required ?? []), ...(b.required ?? [])])] : undefined,
  };
}

/** The alternatives of an anyOf/oneOf, or undefined. */
export function variantsOf(schema: SchemaObject): Schema[] | undefined {
  const list = schema.oneOf ?? schema.anyOf;
  return list?.length ? list : undefined;
}

function typesOf(schema: SchemaObject): string[] {
  const types = Array.isArray(schema.type) ? [...schema.type] : schema.type ? [schema.type] : [];
  if (schema.nullable && !types.includes("null")) types.push("null");
  if (!types.length) {
    if (schema.properties) types.push("object");
    else if (schema.items) types.push("array");
  }
  return types;
}

/** A short type such as "string", "integer | null", "array of Verification", "sms | voice". */
export function typeLabel(doc: OpenApiDocument, schema: Schema | undefined, depth = 0): string {
  if (schema === undefined || schema === true) return "any";
  if (schema === false) return "never";
  if (schema.$ref && depth > 0) return refName(schema.$ref);
  const resolved = resolveSchema(doc, schema);
  if (depth > MAX_DEPTH) return "…";
  if (resolved.const !== undefined) return JSON.stringify(resolved.const);
  const variants = variantsOf(resolved);
  if (variants) {
    const labels = [...new Set(variants.map((variant) => typeLabel(doc, variant, depth + 1)))];
    return labels.join(" | ");
  }
  const types = typesOf(resolved);
  const labels = types.map((type) => {
    if (type === "array") {
      const items = resolved.items ?? resolved.prefixItems?.[0];
      const inner = typeLabel(doc, items, depth + 1);
      return items === undefined ? "array" : `array of ${inner.includes(" ") ? `(${inner})` : inner}`;
    }
    if (type === "object" && !resolved.properties && resolved.additionalProperties && resolved.additionalProperties !== true) {
      return `map of ${typeLabel(doc, resolved.additionalProperties, depth + 1)}`;
    }
    if (type === "string" && resolved.format) return `string (${resolved.format})`;
    return type;
  });
  if (!labels.length) return resolved.enum ? "enum" : "any";
  return labels.join(" | ");
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function range(min: number | undefined, max: number | undefined, noun?: string): string | undefined {
  const unit = (value: number) => (noun ? plural(value, noun) : String(value));
  if (min !== undefined && max !== undefined) {
    if (min === max) return noun ? `exactly ${unit(min)}` : `exactly ${min}`;
    return noun ? `${min} to ${unit(max)}` : `${min} to ${max}`;
  }
  if (min !== undefined) return noun ? `at least ${unit(min)}` : `≥ ${min}`;
  if (max !== undefined) return noun ? `at most ${unit(max)}` : `≤ ${max}`;
  return undefined;
}

export function formatValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Human-readable limits of one schema (not of its children): ranges, lengths, patterns, allowed values. */
export function constraintsOf(doc: OpenApiDocument, schema: Schema | undefined, depth = 0): string[] {
  if (schema === undefined || typeof schema === "boolean") return [];
  const s = resolveSchema(doc, schema);
  const out: string[] = [];
  const variants = variantsOf(s);
  if (variants && depth < 2) {
    for (const variant of variants) {
      const inner = constraintsOf(doc, variant, depth + 1);
      const resolved = resolveSchema(doc, variant);
      const label = resolved.title ? `${resolved.title} (${typeLabel(doc, variant, 1)})` : typeLabel(doc, variant, 1);
      // A list of enum meanings stays one line each; short constraints share the variant's line.
      if (inner.length > 2) out.push(`${label}:`, ...inner);
      else if (inner.length) out.push(`${label}: ${inner.join(", ")}`);
    }
  }
  const meanings = s["x-enumDescriptions"];
  if (s.enum?.length && meanings) {
    for (const value of s.enum) out.push(`\`${formatValue(value)}\`: ${meanings[formatValue(value)] ?? ""}`.replace(/: $/, ""));
  } else if (s.enum?.length) out.push(`one of ${s.enum.map((value) => `\`${formatValue(value)}\``).join(", ")}`);
  const exclusiveMin = typeof s.exclusiveMinimum === "number" ? s.exclusiveMinimum : undefined;
  const exclusiveMax = typeof s.exclusiveMaximum === "number" ? s.exclusiveMaximum : undefined;
  // The values of an enum say more than its range ("1 to 7").
  const numeric = s.enum?.length ? undefined : range(s.minimum, s.maximum);
  if (numeric) out.push(numeric);
  if (exclusiveMin !== undefined) out.push(`> ${exclusiveMin}`);
  if (exclusiveMax !== undefined) out.push(`< ${exclusiveMax}`);
  if (s.exclusiveMinimum === true && s.minimum !== undefined) out.push(`> ${s.minimum}`);
  if (s.exclusiveMaximum === true && s.maximum !== undefined) out.push(`< ${s.maximum}`);
  if (s.multipleOf !== undefined) out.push(`multiple of ${s.multipleOf}`);
  const length = range(s.minLength, s.maxLength, "character");
  if (length) out.push(length);
  if (s.pattern) out.push(`pattern \`${s.pattern}\``);
  const items = range(s.minItems, s.maxItems, "item");
  if (items) out.push(items);
  if (s.uniqueItems) out.push("unique items");
  const props = range(s.minProperties, s.maxProperties, "property");
  if (props) out.push(props);
  if (s.default !== undefined) out.push(`default \`${formatValue(s.default)}\``);
  if (s.readOnly) out.push("read-only");
  if (s.writeOnly) out.push("write-only");
  return out;
}

export interface FieldRow {
  /** "to", "workflow[].channel", "metadata.*" */
  path: string;
  depth: number;
  type: string;
  required: boolean;
  constraints: string[];
  description?: string;
  deprecated: boolean;
}

/** The fields of an object schema, nested ones included, in document order. */
export function fieldRows(doc: OpenApiDocument, schema: Schema | undefined): FieldRow[] {
  const rows: FieldRow[] = [];
  collect(doc, schema, "", 0, new Set(), rows);
  return rows;
}

function collect(doc: OpenApiDocument, schema: Schema | undefined, prefix: string, depth: number, seen: ReadonlySet<string>, rows: FieldRow[]) {
  if (schema === undefined || typeof schema === "boolean" || depth > MAX_DEPTH) return;
  if (schema.$ref) {
    if (seen.has(schema.$ref)) return;
    seen = new Set([...seen, schema.$ref]);
  }
  const s = resolveSchema(doc, schema);

  const variants = variantsOf(s);
  if (variants && !s.properties) {
    // A union at this level: show the fields of each object (or array-of-object) alternative.
    for (const variant of variants) collect(doc, variant, prefix, depth, seen, rows);
    return;
  }

  const types = typesOf(s);
  if (types.includes("array") && s.items !== undefined) {
    collect(doc, s.items, `${prefix}[]`, depth, seen, rows);
    return;
  }

  const required = new Set(s.required ?? []);
  for (const [name, child] of Object.entries(s.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (rows.some((row) => row.path === path)) continue;
    const resolved = typeof child === "boolean" ? {} : resolveSchema(doc, child);
    rows.push({
      path,
      depth,
      type: typeLabel(doc, child, 1),
      required: required.has(name),
      constraints: constraintsOf(doc, child),
      description: resolved.description ?? (typeof child === "object" ? child.description : undefined),
      deprecated: resolved.deprecated === true,
    });
    collect(doc, child, path, depth + 1, seen, rows);
  }
  if (s.additionalProperties && typeof s.additionalProperties === "object" && !s.properties) {
    const path = prefix ? `${prefix}.*` : "*";
    rows.push({
      path,
      depth,
      type: typeLabel(doc, s.additionalProperties, 1),
      required: false,
      constraints: constraintsOf(doc, s.additionalProperties),
      description: "Any key.",
      deprecated: false,
    });
  }
}
