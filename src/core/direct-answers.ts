/**
 * Answers for a few hot, read-only requests written straight onto Node's request and response, ahead of
 * the Hono app. Each one answers only the plain case and hands everything else (another method, a body,
 * an `Origin` header, an unknown id, a queued fault, an open group commit) to the app, which stays the one
 * definition of the endpoint; the direct answer must be byte-for-byte what the app would send (a test
 * holds the two side by side).
 *
 * Why: on a request that does no work of its own, such as the JWKS, @hono/node-server, the router and the
 * request pipeline are a large share of the server's CPU time: 98–99 µs per JWKS request through the app,
 * 86–90 µs answered directly with the same lookups and journal entry (interleaved runs, 16 clients).
 *
 * @example
 * const listener = withDirectAnswers(honoListener, [jwksDirectAnswer(ctx)]);
 * http.createServer(listener);
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { copyWith } from './copy-with.js';

/** Answers `req` and returns true, or returns false without touching `res` (the app answers then). */
export type DirectAnswer = (req: IncomingMessage, res: ServerResponse) => boolean;

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** True when the request announces a body: unusual on the GETs answered directly, so the app answers it. */
export function hasBody(req: IncomingMessage): boolean {
  return req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
}

/** `listener`, with each of `answers` tried first. */
export function withDirectAnswers(listener: Listener, answers: readonly DirectAnswer[]): Listener {
  return (req, res) => {
    for (const answer of answers) if (answer(req, res)) return;
    listener(req, res);
  };
}

/** Writes a 200 JSON body with `headers` and those the app's `Response` gets from @hono/node-server. */
export function sendJson(res: ServerResponse, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(200, copyWith(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }));
  res.end(body);
}
