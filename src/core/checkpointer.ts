/**
 * WAL checkpoints on a worker thread.
 *
 * SQLite checkpoints inside whichever COMMIT pushes the WAL past 1 000 pages: that request's thread copies
 * the pages back into the database file and fsyncs both files, a stall of several milliseconds for the
 * login that happens to commit then (in-process, a quarter of a lone client's time per login). Here a
 * worker thread with its own connection checkpoints instead, ten times a second while anything was
 * committed, so the event loop mostly only appends to the WAL (alternating A/B runs on the 2-core
 * development machine: +8–16% code flows/s at 16 clients, ~+14% for a lone client). Its checkpoints are
 * PASSIVE: they never wait for, or block, a writer.
 *
 * Under unbroken load a PASSIVE checkpoint never catches up with the newest frames, and the WAL only starts
 * over once every frame is copied. So the server's connection keeps an automatic checkpoint at 10 000
 * pages (~40 MiB) as a backstop, which then has only the last few frames left to copy; it goes back to
 * SQLite's default of 1 000 if the worker stops. Durability is untouched: a commit is durable in the WAL
 * (`synchronous = NORMAL`); a checkpoint only moves pages into the main file.
 *
 * The WAL file's size: when the WAL starts over under load, the server's connection keeps the file as it
 * is and writes over it from the start. Cutting it back then (SQLite's `journal_size_limit`, which the
 * connection otherwise keeps at 4 MiB) was an `ftruncate` of up to ~36 MiB inside a login's commit, 1–15
 * ms on the event loop, and every later frame then grew the file again, which costs more than writing
 * over it (~7.3 against ~5.9 µs per frame here). The worker empties the file instead once nothing has been
 * committed for {@link IDLE_TICKS} ticks (a TRUNCATE checkpoint), so an idle server's WAL is zero bytes.
 *
 * @example
 * const checkpointer = Checkpointer.start(db, '.mock-authkit/mock-authkit.sqlite');
 * await checkpointer.stop(); // before db.close(), so the server's connection is the last one
 */
import { Worker } from 'node:worker_threads';
import { WAL_SIZE_LIMIT, driverPaths, type Database } from './db.js';

/** Pages the WAL may grow to before the server's own connection checkpoints (see above). */
const BACKSTOP_PAGES = 10_000;
const DEFAULT_PAGES = 1_000;
/** Ticks without a commit after which the worker empties the WAL file (2 s at the server's interval). */
const IDLE_TICKS = 20;

// CommonJS, evaluated in the worker: a file of its own would need a second bundle entry.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { nativeBinding: workerData.addon, fileMustExist: true });
db.pragma('cache_size = 64'); // pages: a checkpoint copies WAL frames without the page cache
// Never wait: a TRUNCATE checkpoint that waits for a reader holds off every writer meanwhile (the server's
// commits would stall); without a busy handler it gives up at once and is tried again at the next tick.
db.pragma('busy_timeout = 0');
const dataVersion = db.prepare('PRAGMA data_version').pluck();
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const empty = db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').raw();
let seen = dataVersion.get();
let idleTicks = 0;
let emptied = false;
const timer = setInterval(() => {
  try {
    // data_version moves when another connection commits: nothing new, nothing to copy.
    const version = dataVersion.get();
    if (version === seen) {
      // Quiet for a while: copy what is left and cut the WAL file to zero bytes, once per quiet spell.
      // (Busy when a connection is reading or writing just then: [busy, …] or SQLITE_BUSY; next tick.)
      if (!emptied && ++idleTicks >= workerData.idleTicks) emptied = empty.get()[0] === 0;
      return;
    }
    seen = version;
    idleTicks = 0;
    emptied = false;
    checkpoint.get();
  } catch {
    // SQLITE_BUSY while another server on the same file checkpoints: the next tick tries again.
  }
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  process.exit(0);
});
parentPort.postMessage('ready');
`;

export class Checkpointer {
  private readonly exited: Promise<void>;
  /** Resolves true once the worker checkpoints, false if it stopped before that. */
  readonly ready: Promise<boolean>;

  private constructor(
    private readonly worker: Worker,
    private readonly db: Database,
  ) {
    // A worker that fails (to start, or later) only costs speed: the server checkpoints itself again.
    worker.once('error', () => undefined);
    this.exited = new Promise((done) =>
      worker.once('exit', () => {
        this.autocheckpoint(DEFAULT_PAGES, WAL_SIZE_LIMIT);
        done();
      }),
    );
    this.ready = new Promise((resolve) => {
      worker.once('message', () => {
        this.autocheckpoint(BACKSTOP_PAGES, -1);
        resolve(true);
      });
      void this.exited.then(() => resolve(false));
    });
  }

  /** Starts checkpointing the database file at `path` (which `db` has open) every `intervalMs`. */
  static start(db: Database, path: string, intervalMs = 100): Checkpointer {
    const { module, addon } = driverPaths();
    // It allocates next to nothing: small heap limits keep the thread's own memory to ~13 MiB.
    const resourceLimits = { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8, codeRangeSizeMb: 4 };
    const worker = new Worker(WORKER, { eval: true, resourceLimits, workerData: { driver: module, addon, path, intervalMs, idleTicks: IDLE_TICKS } });
    worker.unref();
    return new Checkpointer(worker, db);
  }

  /** Stops the worker and closes its connection; resolves once it has exited. */
  async stop(): Promise<void> {
    this.worker.postMessage('stop');
    const timeout = setTimeout(() => void this.worker.terminate(), 2000);
    await this.exited;
    clearTimeout(timeout);
  }

  /** The server connection's own checkpoint threshold, and the WAL size it cuts back to (-1: none). */
  private autocheckpoint(pages: number, walLimit: number): void {
    if (!this.db.open) return;
    this.db.pragma(`wal_autocheckpoint = ${pages}`);
    this.db.pragma(`journal_size_limit = ${walLimit}`);
  }
}
