/**
 * The authorization codes this process issued and nobody has redeemed yet, kept beside their rows. A
 * login redeems its code a moment after issuing it, and reading it back (an index lookup, a 13-column
 * row object, its JSON) was ~5% of a login's event-loop time at 16 clients (`perf`).
 *
 * The row stays the authority: redeeming still marks it used with one conditional UPDATE, so a code
 * another process redeemed, or whose environment was deleted meanwhile, still fails. Entries leave when
 * redeemed; the store also empties this on every rollback and whenever another process commits.
 *
 * @example
 * codes.issued(key, code);             // after the INSERT
 * codes.get(key) ?? readRow(key);      // when it is redeemed
 * codes.redeemed(key);                 // after the UPDATE
 */
import type { AuthorizationCode } from './model.js';

/** Beyond this many unredeemed codes (abandoned logins), the memory starts over. */
const MAX_CODES = 10_000;

export class IssuedCodes {
  private readonly byKey = new Map<string, AuthorizationCode>();

  issued(key: string, code: AuthorizationCode): void {
    if (this.byKey.size >= MAX_CODES) this.byKey.clear();
    Object.freeze(code.details);
    this.byKey.set(key, Object.freeze(code));
  }

  get(key: string): AuthorizationCode | undefined {
    return this.byKey.get(key);
  }

  redeemed(key: string): void {
    this.byKey.delete(key);
  }

  clear(): void {
    this.byKey.clear();
  }
}
