/**
 * Random bytes from a pool refilled 4 KB at a time: `crypto.randomBytes` makes one system call per call
 * (about 15 µs for 16 bytes here), and a sign-in asks for a dozen ids, an IV and a nonce, so small requests
 * were 5% of its CPU (docs/benchmarks.md, "Full sign-in"). Node's own `crypto.randomUUID` caches the same way.
 * Every byte comes from the CSPRNG and is handed out once; each caller gets its own copy.
 */
import crypto from "node:crypto";

const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

/** `size` random bytes (at most 4,096) in a new Buffer the caller may change. */
export function randomBytesPooled(size: number): Buffer {
  if (!Number.isInteger(size) || size < 0 || size > POOL_BYTES) throw new RangeError(`randomBytesPooled: size ${size} is not 0 to ${POOL_BYTES}`);
  if (offset + size > POOL_BYTES) {
    crypto.randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  // Handed-out bytes are zeroed in the pool so that nothing is kept for a second caller to read.
  pool.fill(0, offset, offset + size);
  offset += size;
  return bytes;
}
