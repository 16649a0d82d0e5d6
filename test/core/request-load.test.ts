/**
 * When a token is signed inline: only for a lone client (at most one open connection, no other request
 * being answered); otherwise on the thread pool.
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { RequestLoad } from '../../src/core/request-load.js';

const socket = () => new EventEmitter() as unknown as Socket;

describe('RequestLoad', () => {
  it('is quiet with one connection and one request, busy with a second of either', () => {
    const load = new RequestLoad();
    expect(load.quiet()).toBe(true); // in-process (app.request): no connection at all
    const first = socket();
    load.connected(first);
    load.enter();
    expect(load.quiet()).toBe(true);
    load.enter();
    expect(load.quiet()).toBe(false);
    load.leave();
    expect(load.quiet()).toBe(true);
    const second = socket();
    load.connected(second);
    expect(load.quiet()).toBe(false);
    second.emit('close');
    expect(load.quiet()).toBe(true);
    load.leave();
    first.emit('close');
    expect(load.quiet()).toBe(true);
  });
});
