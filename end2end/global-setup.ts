import type { FullConfig } from '@playwright/test';

// `cargo leptos end-to-end` starts the server and the tests at the same time,
// so wait until the server answers its health check.
export default async function globalSetup(config: FullConfig) {
  const base = config.projects[0].use.baseURL ?? 'http://127.0.0.1:3000';
  const deadline = Date.now() + 180_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the server at ${base} did not become healthy: ${last}`);
}
