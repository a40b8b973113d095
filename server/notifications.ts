/**
 * Plain texts that carry no code (e.g. "your number was changed"), sent through the SMS carriers in
 * order of preference. A notice that cannot be sent is logged, never thrown: it must not undo the
 * action it reports.
 */
import { uuidv7 } from "../lib/ids.ts";
import type { Logger } from "pino";
import type { CarrierRegistry } from "./carriers/registry.ts";

/** What a notice needs: the carriers, a logger and the sender (the engine passes its own, see engine.sendNotice). */
export interface NoticeSender {
  carriers: Pick<CarrierRegistry, "for">;
  logger: Pick<Logger, "warn">;
  config: { DEFAULT_SENDER?: string };
}

export async function sendNotice(runtime: NoticeSender, to: string, body: string): Promise<boolean> {
  const idempotencyKey = `notice-${uuidv7()}`;
  for (const carrier of runtime.carriers.for("sms")) {
    try {
      await carrier.send({ channel: "sms", to, body, from: runtime.config.DEFAULT_SENDER, idempotencyKey });
      return true;
    } catch (error) {
      runtime.logger.warn({ err: error, carrier: carrier.id }, "notice not sent");
      if ((error as { retryable?: boolean }).retryable === false) return false;
    }
  }
  return false;
}
