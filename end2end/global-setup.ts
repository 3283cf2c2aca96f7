import { existsSync, readdirSync, rmSync } from 'node:fs';
import { builtBinary, serversRoot, siteRoot, snapshotBinary, stopLeftoverServers } from './tests/server';

// Each spec file starts its own server over a fresh database (see
// tests/fixtures.ts); here we only check that the build they serve exists
// (`make test-e2e` builds it with scripts/dev_site.sh first), keep
// a link to the binary for this run and clear the servers' folders of an
// earlier run.
export default async function globalSetup() {
  const pkg = `${siteRoot}/pkg`;
  if (!existsSync(builtBinary) || !existsSync(pkg) || !readdirSync(pkg).some((f) => f.endsWith('.wasm'))) {
    throw new Error(
      `No build to test: ${builtBinary} and a site in ${pkg} are needed. ` +
        'Run `make test-e2e` (it builds them), or `make dev-site` before `npx playwright test`.',
    );
  }
  stopLeftoverServers();
  rmSync(serversRoot, { recursive: true, force: true });
  snapshotBinary();
}
