/**
 * Defers loading Node's bundled fetch implementation (undici) in the CLI, which takes ~20–35 ms of every
 * start (with the http2, tls and zlib modules it pulls in) and is rarely needed: @hono/node-server serves
 * our answers with its own lightweight `Response` and reads requests straight from Node.
 *
 * Node defines `Request`, `Response` and `Headers` as getters that load undici on first access, and
 * @hono/node-server reads all three when it is imported. This replaces each with a stand-in class that
 * loads the real one on first construction and then becomes it: instances are the real thing (built with
 * `Reflect.construct`, so subclasses such as @hono/node-server's keep working), `instanceof` answers
 * for real instances too, and `Response.json()`/`redirect()`/`error()` work before and after.
 *
 * Only the CLI installs it (first import of cli.ts); the programmatic API leaves an app's globals alone.
 *
 * @example
 * import './lazy-web-globals.js'; // before anything that imports @hono/node-server
 */
type WebClass = new (...args: unknown[]) => object;

function deferGlobal(name: 'Request' | 'Response' | 'Headers', statics: readonly string[] = []): void {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
  // Already loaded, or not a lazy getter on this Node version: nothing to gain.
  if (!descriptor?.get || !descriptor.configurable) return;
  const lazyGetter = descriptor.get;
  let real: WebClass | undefined;
  const load = (): WebClass => {
    if (!real) {
      // Node's getter also redefines the global as the real class: keep what is there now (this
      // stand-in, or @hono/node-server's subclass that replaced it).
      const current = Object.getOwnPropertyDescriptor(globalThis, name)!;
      real = lazyGetter.call(globalThis) as WebClass;
      Object.defineProperty(globalThis, name, current);
      Object.setPrototypeOf(StandIn.prototype, real.prototype);
      Object.setPrototypeOf(StandIn, real);
    }
    return real;
  };
  function StandIn(this: unknown, ...args: unknown[]): object {
    if (!new.target) throw new TypeError(`Class constructor ${name} cannot be invoked without 'new'`);
    return Reflect.construct(load(), args, new.target);
  }
  Object.defineProperty(StandIn, 'name', { value: name });
  Object.defineProperty(StandIn, Symbol.hasInstance, {
    value: (value: unknown) => (real !== undefined && value instanceof real) || Object.prototype.isPrototypeOf.call(StandIn.prototype, value as object),
  });
  for (const method of statics) {
    Object.defineProperty(StandIn, method, {
      value: (...args: unknown[]) => (load() as unknown as Record<string, (...a: unknown[]) => unknown>)[method](...args),
      writable: true,
      configurable: true,
    });
  }
  Object.defineProperty(globalThis, name, { value: StandIn, writable: true, configurable: true, enumerable: false });
}

deferGlobal('Request');
deferGlobal('Response', ['json', 'redirect', 'error']);
deferGlobal('Headers');
