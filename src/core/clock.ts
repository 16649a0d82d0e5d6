/**
 * The one source of time for everything the server stores or signs.
 *
 * Every expiry check and every `iat`/`exp` reads `clock.now(environmentId)`, so a test can move time
 * for one environment without touching the others (or the real clock).
 *
 * @example
 * const clock = new Clock();
 * clock.now('default');                   // Date.now()
 * clock.advance('default', 11 * 60_000);  // codes issued before are now expired
 */
export class Clock {
  /** Offset in ms (or a frozen instant) per environment; absent means real time. */
  private readonly offsets = new Map<string, { offsetMs: number }>();

  /** Milliseconds since the epoch, as seen by `environmentId`. */
  now(environmentId = 'default'): number {
    const entry = this.offsets.get(environmentId);
    return entry ? Date.now() + entry.offsetMs : Date.now();
  }

  /** Seconds since the epoch (what JWT `iat`/`exp` use). */
  nowSeconds(environmentId = 'default'): number {
    return Math.floor(this.now(environmentId) / 1000);
  }

  /** Moves `environmentId`'s time forward by `ms` (negative moves it back). */
  advance(environmentId: string, ms: number): void {
    const entry = this.offsets.get(environmentId);
    this.offsets.set(environmentId, { offsetMs: (entry?.offsetMs ?? 0) + ms });
  }

  /** Sets `environmentId`'s current time to `epochMs` (time then keeps running from there). */
  set(environmentId: string, epochMs: number): void {
    this.offsets.set(environmentId, { offsetMs: epochMs - Date.now() });
  }

  /** Back to real time for `environmentId`. */
  reset(environmentId: string): void {
    this.offsets.delete(environmentId);
  }

  /** The offset in ms from real time, 0 when following real time. */
  offset(environmentId: string): number {
    return this.offsets.get(environmentId)?.offsetMs ?? 0;
  }
}

/** ISO-8601 with milliseconds, as WorkOS renders timestamps. */
export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** RFC 3339 with second precision, as Stytch renders timestamps (`2024-04-24T12:41:30Z`). */
export function isoSeconds(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
