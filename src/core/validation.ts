/**
 * Loads the zod schemas (schemas.ts) on first need. Code that validates is reached from an async entry
 * point (a control or login-page request, a CLI command, an environment handle method, a start-fixture
 * cache miss) that awaits {@link loadSchemas} first; the synchronous validators then use
 * {@link schemas}.
 *
 * @example
 * await loadSchemas();
 * const problems = validateFixture(doc); // uses schemas() inside
 */
type Schemas = typeof import('./schemas.js');

let loaded: Schemas | undefined;

/** Loads zod and every schema once (~30 ms the first time). */
export async function loadSchemas(): Promise<Schemas> {
  loaded ??= await import('./schemas.js');
  return loaded;
}

/** The loaded schemas; calling this before {@link loadSchemas} has resolved is a programming error. */
export function schemas(): Schemas {
  if (!loaded) throw new Error('internal: the schemas are not loaded yet (await loadSchemas() at the entry point)');
  return loaded;
}
