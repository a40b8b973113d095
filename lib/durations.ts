/** Durations for texts a person reads (server notices and the sign-in pages share them). */

/** 45 → "45 s", 480 → "8 min", 3600 → "1 h", 5400 → "2 h", 86400 → "24 h" (rounded up). */
export function describeWait(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.ceil(seconds / 60)} min`;
  return `${Math.ceil(seconds / 3600)} h`;
}
