/**
 * Group commit: while several clients are connected, the write transactions of one event-loop turn share
 * one SQLite COMMIT. The first opens the group (BEGIN IMMEDIATE) and runs in it directly; each later one
 * runs as a savepoint inside it (a failing one rolls back only its own writes), and the group commits once
 * the turn's I/O callbacks have run (`setImmediate`). One commit writes each page the turn touched once,
 * instead of once per request (the WAL frames, file locks and checkpoints of a commit were ~a third of a
 * login's event-loop time).
 *
 * The first needs no savepoint: should it fail, the group holds nothing else yet, so it is rolled back and
 * begun again ({@link GroupCommit.restart}). That spares the savepoint's copy of every page it changes
 * (SQLite's in-memory sub-journal: a malloc, a 4 KiB copy and a memory barrier per page), which the
 * one-request groups of a slower client paid on every transaction.
 *
 * Nothing is answered before it is stored: the server holds every response that finishes while a group
 * is open until {@link GroupCommit.committed} resolves (see durable-responses.ts). If the commit fails,
 * those requests fail instead.
 *
 * @example
 * const group = new GroupCommit(db, () => load.concurrent());
 * const role = group.joinOrOpen();  // before a top-level transaction: 'opened', 'joined' or 'alone'
 * if (role === 'opened') try { write(); } catch (error) { group.restart(); throw error; }
 * await group.committed();          // before answering
 */
import type { Database } from './db.js';

class OpenGroup {
  /** Set when SQLite rolled the whole group back on its own (e.g. SQLITE_FULL inside one member). */
  lost: unknown;
  private promise?: Promise<void>;
  private settle?: (failure: unknown) => void;

  /** Resolves when the group is committed; rejects if it was not. */
  done(): Promise<void> {
    this.promise ??= new Promise<void>((resolve, reject) => {
      this.settle = (failure) => (failure === undefined ? resolve() : reject(failure));
    });
    return this.promise;
  }

  finish(failure: unknown): void {
    this.settle?.(failure);
  }
}

export class GroupCommit {
  private open?: OpenGroup;
  private readonly begin;
  private readonly commit;
  private readonly rollback;

  /**
   * `worthIt` says whether grouping pays now: with a lone client, each transaction commits at once.
   * `rolledBack` is told when a group did not commit (what was read inside it may not have happened).
   */
  constructor(
    private readonly db: Database,
    private readonly worthIt: () => boolean,
    private readonly rolledBack: () => void = () => {},
  ) {
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
  }

  /**
   * Called before a top-level transaction starts (no SQLite transaction open). Opens a group when none is
   * open and grouping pays, and says so: `'opened'` (the transaction runs in the group's own transaction,
   * see {@link restart}), `'joined'` (it runs inside the open group as a savepoint) or `'alone'` (it commits
   * on its own).
   */
  joinOrOpen(): 'opened' | 'joined' | 'alone' {
    if (this.open) return 'joined';
    if (!this.worthIt()) return 'alone';
    this.begin.run();
    this.open = new OpenGroup();
    setImmediate(() => this.flush());
    return 'opened';
  }

  /**
   * The group's first transaction failed: nothing else is in the group yet, so its writes are rolled back
   * with the whole SQLite transaction, which begins again for the rest of the turn. Should it not begin
   * again, the group is lost and whoever waits for it fails.
   */
  restart(): void {
    if (!this.open) return;
    try {
      if (this.db.inTransaction) this.rollback.run();
      this.begin.run();
    } catch (failure) {
      this.memberLostGroup(failure);
    }
  }

  /** A member failed and SQLite is no longer in a transaction: the whole group was rolled back. */
  memberLostGroup(error: unknown): void {
    if (this.open && this.open.lost === undefined) this.open.lost = error;
  }

  /** Resolves once everything written so far is committed (at once when no group is open). */
  committed(): Promise<void> | undefined {
    return this.open?.done();
  }

  /** Commits the open group now (at the end of the turn, and before the database is closed). */
  flush(): void {
    const group = this.open;
    if (!group) return;
    this.open = undefined;
    let failure = group.lost;
    if (failure === undefined && !this.db.inTransaction) failure = new Error('SQLite rolled back the group commit');
    if (failure === undefined) {
      try {
        this.commit.run();
      } catch (error) {
        failure = error;
      }
    }
    if (failure !== undefined) {
      if (this.db.inTransaction) this.rollback.run();
      this.rolledBack();
    }
    group.finish(failure);
  }
}
