/**
 * Starts the built CLI (`bin/mock-authkit.js start --json`) as a user would, and reads its ready line.
 *
 * @example
 * const server = await startCli(['--login', 'headless']);
 * server.ready.url; await server.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';

export const BIN = resolve(import.meta.dirname, '../../bin/mock-authkit.js');

export interface ReadyLine {
  url: string;
  db: string;
  workos: { client_id: string; api_key: string; jwks_url: string };
  stytch: { project_id: string; secret: string; public_token: string; jwks_url: string };
}

export interface CliServer {
  ready: ReadyLine;
  process: ChildProcess;
  stderr: () => string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** A fresh temporary folder, removed after the importing test file has run. */
export function tempDir(prefix = 'mock-authkit-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** A fresh temporary database path (in its own {@link tempDir}). */
export function tempDb(): string {
  return join(tempDir(), 'db.sqlite');
}

/** Folders made by tempDir, removed after the importing test file has run. */
const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Starts the CLI; a temporary `--db` is added unless `args` has one or `defaultDb` asks for the built-in default. */
export function startCli(args: string[] = [], options: { cwd?: string; env?: NodeJS.ProcessEnv; defaultDb?: boolean } = {}): Promise<CliServer> {
  const hasDb = args.includes('--db') || options.defaultDb;
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--json', ...(hasDb ? [] : ['--db', tempDb()]), ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server not ready in 15 s: ${stderr}`));
    }, 15_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${stderr}`));
    });
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline === -1) return;
      clearTimeout(timer);
      const ready = JSON.parse(stdout.slice(0, newline)) as ReadyLine;
      child.removeAllListeners('exit');
      resolveReady({
        ready,
        process: child,
        stderr: () => stderr,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done(child.exitCode);
            child.once('exit', (code) => done(code));
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
