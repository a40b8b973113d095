/** How a code reaches a phone. Below the carriers and the engine, which both speak of it. */
export const CHANNELS = ["sms", "voice"] as const;
export type Channel = (typeof CHANNELS)[number];
