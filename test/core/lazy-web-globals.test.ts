/**
 * The CLI's deferred fetch globals (src/lazy-web-globals.ts), checked in a fresh Node process so that the
 * test runner's own globals stay untouched: undici loads only on first construction, the globals stay
 * the stand-ins (or what replaced them) afterwards, subclasses and `instanceof` work, and the statics.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODULE = fileURLToPath(new URL('../../dist/lazy-web-globals.js', import.meta.url));

const SCRIPT = `
const undiciLoaded = () => process.moduleLoadList.some((m) => m.includes('undici'));
await import(${JSON.stringify(MODULE)});
const out = { before: undiciLoaded() };
const StandIn = globalThis.Request;
class Sub extends Request {
  constructor(input, init) { super(input, init); this.extra = 1; }
  hello() { return 'hi'; }
}
out.afterSubclassing = undiciLoaded();
const sub = new Sub('http://x.test/a', { method: 'POST', body: 'abc' });
out.afterConstruction = undiciLoaded();
out.sub = [sub.method, sub.url, await sub.text(), sub.extra, sub.hello(), sub instanceof Sub, sub instanceof Request];
out.globalKept = globalThis.Request === StandIn;
const copy = new Request(sub, { method: 'PUT', body: 'x' });
out.copy = [copy.method, copy.url];
const json = Response.json({ a: 1 }, { status: 201 });
out.json = [json.status, json.headers.get('content-type'), await json.text(), json instanceof Response];
const redirect = Response.redirect('http://x.test/c', 302);
out.redirect = [redirect.status, redirect.headers.get('location')];
const headers = new Headers({ a: '1' });
headers.append('a', '2');
out.headers = [headers.get('a'), headers instanceof Headers, typeof Headers.prototype.get];
const plain = new Response('body', { status: 202, headers: { x: 'y' } });
out.plain = [plain.status, plain.headers.get('x'), await plain.text()];
out.notAResponse = ({}) instanceof Response;
try { Headers(); out.callWithoutNew = 'no error'; } catch (error) { out.callWithoutNew = error.constructor.name; }
process.stdout.write(JSON.stringify(out));
`;

describe('lazy web globals', () => {
  it('defer undici to the first construction and behave like the real classes', () => {
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT], { encoding: 'utf8' }));
    expect(out).toEqual({
      before: false,
      afterSubclassing: false,
      afterConstruction: true,
      sub: ['POST', 'http://x.test/a', 'abc', 1, 'hi', true, true],
      globalKept: true,
      copy: ['PUT', 'http://x.test/a'],
      json: [201, 'application/json', '{"a":1}', true],
      redirect: [302, 'http://x.test/c'],
      headers: ['1, 2', true, 'function'],
      plain: [202, 'y', 'body'],
      notAResponse: false,
      callWithoutNew: 'TypeError',
    });
  });
});
