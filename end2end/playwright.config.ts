import { defineConfig } from '@playwright/test';

// Debian's Chromium: Playwright cannot download its own browser on these
// machines. The flags keep Chromium off the (closed) network.
//
// There is no fixed base URL: each spec file gets a server of its own, on a
// free port over a fresh database, and tests/fixtures.ts sets `baseURL` to
// it. Specs import `test` and `expect` from './fixtures'.
export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  globalSetup: './global-setup.ts',
  globalTeardown: './global-teardown.ts',
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'off',
  },
});
