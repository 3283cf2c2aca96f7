import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { EDITORS, EDITOR_PASSWORD } from './accounts';

// What `make dev-site` (scripts/dev_site.sh) or `cargo leptos build` leaves
// behind: the server binary and the compiled site it serves. ACCORD_BINARY
// may name another build of the binary (one made by either: a plain
// `cargo build` of the server, without their environment, renders pages the
// site's wasm cannot hydrate).
export const repoRoot = join(__dirname, '..', '..');
export const builtBinary = process.env.ACCORD_BINARY ?? join(repoRoot, 'target', 'debug', 'accord');
export const siteRoot = join(repoRoot, 'target', 'site');
const e2eRoot = join(repoRoot, 'target', 'e2e');
// One folder per server (database, log, pid file), all under here.
export const serversRoot = join(e2eRoot, 'specs');
// The binary the servers run: the build as it was when the run began (see
// `snapshotBinary`), so a `cargo build` or `cargo test` that replaces
// target/debug/accord during the run cannot change what later files test.
export const accordBinary = join(e2eRoot, 'bin', 'accord');

/** Links (or copies) the built binary, and the bundle names it needs beside
 * it, to `accordBinary`. Cargo replaces its output files rather than
 * rewriting them, so the link keeps this build. */
export function snapshotBinary() {
  const dir = join(e2eRoot, 'bin');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    linkSync(builtBinary, accordBinary);
  } catch {
    copyFileSync(builtBinary, accordBinary);
  }
  // With hashed bundle names the server reads them from here (hash.txt).
  const hashes = join(builtBinary, '..', 'hash.txt');
  if (existsSync(hashes)) copyFileSync(hashes, join(dir, 'hash.txt'));
}

/** A running `accord serve` over its own fresh database. */
export interface AccordServer {
  /** http://127.0.0.1:PORT, without a trailing slash. */
  url: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

// Servers this process started and has not stopped yet: killed when the
// process exits, even if a teardown never ran.
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts a server on a free port over a new database in `serversRoot/name`,
 * seeded by the server itself, with the test editors' accounts. */
export async function startServer(name: string): Promise<AccordServer> {
  const dir = join(serversRoot, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const databaseUrl = `sqlite://${join(dir, 'accord.db')}`;
  let lastError: unknown;
  // The port is free when asked for, but another process may take it before
  // the server binds it: then the server exits and another port is tried.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const server = await launch(dir, databaseUrl, await freePort());
      try {
        addEditors(databaseUrl);
      } catch (error) {
        await server.stop();
        throw error;
      }
      return server;
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortTaken)) break;
    }
  }
  throw lastError;
}

class PortTaken extends Error {}

async function launch(dir: string, databaseUrl: string, port: number): Promise<AccordServer> {
  const url = `http://127.0.0.1:${port}`;
  const logPath = join(dir, 'server.log');
  const log = openSync(logPath, 'a');
  const child = spawn(accordBinary, ['serve'], {
    cwd: repoRoot,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      ACCORD_PUBLIC_URL: url,
      // Where cargo-leptos would tell the server to listen and find the site.
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: siteRoot,
      LEPTOS_SITE_PKG_DIR: 'pkg',
      LEPTOS_OUTPUT_NAME: 'accord',
    },
  });
  closeSync(log);
  running.add(child);
  const pidFile = join(dir, 'server.pid');
  writeFileSync(pidFile, `${child.pid}\n`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => {
    running.delete(child);
    rmSync(pidFile, { force: true });
  });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const output = readFileSync(logPath, 'utf8');
      const status = child.exitCode ?? child.signalCode;
      const message = `accord serve (${url}, ${databaseUrl}) exited with ${status}:\n${output.slice(-2_000)}`;
      throw /address already in use|AddrInUse/i.test(output) ? new PortTaken(message) : new Error(message);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return { url, databaseUrl, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error(`accord serve did not answer ${url}/healthz within 30 s; see ${logPath}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

// Editor accounts are made the way an operator makes them: with the
// `accord user add` command, password on standard input.
function addEditors(databaseUrl: string) {
  for (const name of EDITORS) {
    const result = spawnSync(accordBinary, ['user', 'add', name, '--role', 'editor'], {
      input: `${EDITOR_PASSWORD}\n`,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    if (result.status !== 0) {
      throw new Error(`accord user add ${name} failed (${databaseUrl}): ${result.stderr}`);
    }
  }
}

/** Stops servers an earlier, interrupted run left behind (by the pid files
 * they leave beside their databases), checking that each pid is still one
 * of them. */
export function stopLeftoverServers() {
  if (!existsSync(serversRoot)) return;
  for (const name of readdirSync(serversRoot)) {
    const pidFile = join(serversRoot, name, 'server.pid');
    if (!existsSync(pidFile)) continue;
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    let command = '';
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      // Gone already.
    }
    if (pid > 0 && command.startsWith(accordBinary)) process.kill(pid, 'SIGTERM');
    rmSync(pidFile, { force: true });
  }
}
