/**
 * Process-wide setup that must run before Next.js or React load (imported first by server.ts).
 *
 * - Next.js telemetry stays off: textgate never sends anything home (the notice it prints on the first
 *   start is gone too). An operator who wants it can still set NEXT_TELEMETRY_DISABLED=0.
 * - `ArrayBuffer.prototype.detached` arrived in V8 after Node 20's. React's server renderer reads it
 *   and, where it is missing, warns on every start that an empty buffer "could be a security issue".
 *   The getter below answers the same as the built-in one: a detached buffer is the only one a typed
 *   array cannot be made over (https://tc39.es/proposal-arraybuffer-transfer/).
 */
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

if (!Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "detached")) {
  Object.defineProperty(ArrayBuffer.prototype, "detached", {
    configurable: true,
    get(this: ArrayBuffer): boolean {
      if (this.byteLength !== 0) return false;
      try {
        new Uint8Array(this);
        return false;
      } catch {
        return true;
      }
    },
  });
}
