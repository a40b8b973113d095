/**
 * Picks the carriers for each channel from configuration (SMS_CARRIERS, VOICE_CARRIERS), in order of
 * preference: the first is tried first, the next ones when a send fails in a way retrying can help.
 */
import type { Channel } from "../../lib/channels.ts";
import type { Carrier } from "./types.ts";

/** Carriers that deliver nothing to a real phone (they show codes to whoever reads them). */
export const DEVELOPMENT_CARRIERS = ["sandbox", "console"] as const;

export function isDevelopmentCarrier(id: string): boolean {
  return (DEVELOPMENT_CARRIERS as readonly string[]).includes(id);
}

const VARIABLE: Record<Channel, string> = { sms: "SMS_CARRIERS", voice: "VOICE_CARRIERS" };

export class CarrierRegistry {
  private readonly byChannel: Record<Channel, Carrier[]>;
  private readonly known: ReadonlyMap<string, Carrier>;

  constructor(available: readonly Carrier[], preference: Record<Channel, readonly string[]>) {
    const known = new Map(available.map((c) => [c.id, c]));
    this.known = known;
    const pick = (channel: Channel): Carrier[] =>
      preference[channel].map((id) => {
        const carrier = known.get(id);
        if (!carrier) throw new Error(`${VARIABLE[channel]}: unknown carrier "${id}"; available: ${[...known.keys()].join(", ")}`);
        if (!carrier.channels.includes(channel)) {
          throw new Error(`${VARIABLE[channel]}: carrier "${id}" cannot send ${channel}; it serves ${carrier.channels.join(", ") || "nothing"}`);
        }
        return carrier;
      });
    this.byChannel = { sms: pick("sms"), voice: pick("voice") };
  }

  /** Carriers for a channel, most preferred first; empty when none is configured. */
  for(channel: Channel): readonly Carrier[] {
    return this.byChannel[channel];
  }

  supports(channel: Channel): boolean {
    return this.byChannel[channel].length > 0;
  }

  /** A configured carrier by id (webhooks find their carrier this way); undefined when not configured. */
  byId(id: string): Carrier | undefined {
    return this.known.get(id);
  }
}
