/** A JSON request body for the auth and account routes: JSON only (415), at most 4 KB (413), parsed by a zod schema (400). */
import type { z } from "zod";
import { TextgateError } from "../../lib/errors.ts";

const MAX_BODY_BYTES = 4096;

export async function readJson<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) throw new TextgateError("unsupported_media_type");
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new TextgateError("payload_too_large");
  let value: unknown;
  try {
    value = text ? JSON.parse(text) : {};
  } catch {
    throw new TextgateError("invalid_json");
  }
  return schema.parse(value);
}
