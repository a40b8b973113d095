/** The parts of an OpenAPI 3.1 document the reference page reads. Everything is optional: documents vary. */
import type { RecordedExample } from "@/lib/api-examples.ts";

export interface OpenApiDocument {
  openapi?: string;
  info?: { title?: string; version?: string; description?: string; summary?: string };
  servers?: { url: string; description?: string }[];
  paths?: Record<string, PathItem | undefined>;
  components?: {
    schemas?: Record<string, Schema>;
    securitySchemes?: Record<string, SecurityScheme | Reference>;
    parameters?: Record<string, Parameter | Reference>;
    requestBodies?: Record<string, RequestBody | Reference>;
    responses?: Record<string, ResponseObject | Reference>;
  };
  security?: SecurityRequirement[];
  tags?: { name: string; description?: string }[];
}

export interface Reference {
  $ref: string;
  summary?: string;
  description?: string;
}

export type SecurityRequirement = Record<string, string[]>;

export const HTTP_METHODS = ["get", "post", "put", "patch", "delete", "head", "options", "trace"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type PathItem = {
  summary?: string;
  description?: string;
  parameters?: (Parameter | Reference)[];
} & Partial<Record<HttpMethod, Operation>>;

export interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: (Parameter | Reference)[];
  requestBody?: RequestBody | Reference;
  responses?: Record<string, ResponseObject | Reference>;
  security?: SecurityRequirement[];
  deprecated?: boolean;
  /** Recorded request and answer pairs (lib/api-examples.ts). */
  "x-examples"?: RecordedExample[];
}

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  description?: string;
  required?: boolean;
  deprecated?: boolean;
  schema?: Schema;
  example?: unknown;
}

export interface MediaType {
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, { summary?: string; value?: unknown } | Reference>;
}

export interface RequestBody {
  description?: string;
  required?: boolean;
  content?: Record<string, MediaType>;
}

export interface ResponseObject {
  description?: string;
  content?: Record<string, MediaType>;
  headers?: Record<string, { description?: string; schema?: Schema } | Reference>;
}

export interface SecurityScheme {
  type: string;
  description?: string;
  name?: string;
  in?: string;
  scheme?: string;
  bearerFormat?: string;
}

/** JSON Schema 2020-12 as OpenAPI 3.1 uses it (plus 3.0's `nullable`, which some generators still emit). */
export type Schema = boolean | SchemaObject;

export interface SchemaObject {
  $ref?: string;
  title?: string;
  description?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  /** Meaning of each enum value, keyed by the value (as Redocly's x-enumDescriptions). */
  "x-enumDescriptions"?: Record<string, string>;
  const?: unknown;
  default?: unknown;
  example?: unknown;
  examples?: unknown[];
  deprecated?: boolean;
  readOnly?: boolean;
  writeOnly?: boolean;
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema;
  items?: Schema;
  prefixItems?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
}
