/** Frames a client may send, validated with zod (see lib/socket/protocol.ts). */
import type { RawData } from "ws";
import { z } from "zod";
import type { ClientMessage } from "../../lib/socket/protocol.ts";

export const clientMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("token"), code: z.string().min(1).max(64) }),
  z.object({ type: z.literal("message"), data: z.unknown() }),
]);

export type ParsedFrame = { ok: true; message: ClientMessage } | { ok: false; binary: boolean; message: string };

function text(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString("utf8");
  if (raw instanceof ArrayBuffer) return Buffer.from(raw).toString("utf8");
  return raw.toString("utf8");
}

/** Parses one frame: binary → refused (1003); not JSON or not one of the client messages → refused (1008). */
export function parseFrame(raw: RawData, isBinary: boolean): ParsedFrame {
  if (isBinary) return { ok: false, binary: true, message: "Only JSON text frames are accepted." };
  let value: unknown;
  try {
    value = JSON.parse(text(raw));
  } catch {
    return { ok: false, binary: false, message: "The frame is not JSON." };
  }
  const parsed = clientMessageSchema.safeParse(value);
  if (!parsed.success) return { ok: false, binary: false, message: "The frame is not a message of this protocol." };
  const m = parsed.data;
  return { ok: true, message: m.type === "token" ? { type: "token", code: m.code } : { type: "message", data: m.data } };
}
