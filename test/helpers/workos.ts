/**
 * The official `@workos-inc/node` SDK pointed at a running mock, and a headless browser hop.
 *
 * @example
 * const workos = workosClient(server.ready);
 * const code = await followAuthorize(url); // the `code` of the 302 back to the app
 */
import { WorkOS } from '@workos-inc/node';
import type { ReadyLine } from './cli.js';

/** The official SDK pointed at a server or environment (`apiKey: false`: without the API key). */
export function workosClient(ready: Pick<ReadyLine, 'url' | 'workos'>, options: { apiKey?: boolean } = {}): WorkOS {
  const url = new URL(ready.url);
  const common = { apiHostname: url.hostname, port: Number(url.port), https: false, clientId: ready.workos.client_id, maxRetries: 0 };
  return options.apiKey === false ? new WorkOS({ ...common }) : new WorkOS(ready.workos.api_key, common);
}

/** Navigates to an authorize URL without following the redirect; returns the redirect's query. */
export async function followAuthorize(url: string): Promise<URLSearchParams> {
  const response = await fetch(url, { redirect: 'manual' });
  if (response.status !== 302) throw new Error(`authorize answered ${response.status}: ${await response.text()}`);
  return new URL(response.headers.get('location')!).searchParams;
}
