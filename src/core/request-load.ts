/**
 * How busy the server is, for two decisions: whether a token may be signed inline on the event loop, and
 * whether write transactions share a commit (group-commit.ts: only with more than one connection).
 *
 * Signing:
 * Inline is quicker for a lone client (no hand-off to the thread pool and back: a sequential test suite's
 * logins take ~15% less time), but holds the loop for the ~0.2 ms of the signature. So it is used only
 * while at most one connection is open and no other request is being answered. (Overlapping requests
 * cannot tell this alone: with inline signatures, requests on many connections run one after another.)
 *
 * @example
 * server.on('connection', (socket) => load.connected(socket));
 * load.enter(); try { … load.quiet() … } finally { load.leave(); }
 */
import type { Socket } from 'node:net';

export class RequestLoad {
  private inFlight = 0;
  private connections = 0;

  /** Counts `socket` while it is open. */
  connected(socket: Socket): void {
    this.connections++;
    socket.once('close', () => this.connections--);
  }

  /** A vendor request starts. */
  enter(): void {
    this.inFlight++;
  }

  /** A vendor request has been answered. */
  leave(): void {
    this.inFlight--;
  }

  /** More than one client connection is open: requests can arrive in the same event-loop turn. */
  concurrent(): boolean {
    return this.connections > 1;
  }

  /** At most one client connection, and no other request being answered. */
  quiet(): boolean {
    return this.inFlight <= 1 && this.connections <= 1;
  }
}
