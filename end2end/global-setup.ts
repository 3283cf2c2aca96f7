import type { FullConfig } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { EDITORS, EDITOR_PASSWORD } from './tests/accounts';

// `cargo leptos end-to-end` starts the server and the tests at the same time,
// so wait until the server answers its health check.
export default async function globalSetup(config: FullConfig) {
  const base = config.projects[0].use.baseURL ?? 'http://127.0.0.1:3000';
  const deadline = Date.now() + 180_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) {
        createEditors();
        return;
      }
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the server at ${base} did not become healthy: ${last}`);
}

// Editor accounts are made the way an operator makes them: with the
// `accord user add` command, password on standard input.
function createEditors() {
  if (!process.env.DATABASE_URL) {
    throw new Error('DATABASE_URL must name the database the server under test uses');
  }
  const binary = join(__dirname, '..', 'target', 'debug', 'accord');
  for (const name of EDITORS) {
    const result = spawnSync(binary, ['user', 'add', name, '--role', 'editor'], {
      input: `${EDITOR_PASSWORD}\n`,
      encoding: 'utf8',
      env: process.env,
    });
    if (result.status !== 0 && !/already exists/.test(result.stderr)) {
      throw new Error(`accord user add ${name} failed: ${result.stderr}`);
    }
  }
}
