import { stopLeftoverServers } from './tests/server';

// The workers stop their servers when they finish; this catches any that a
// killed worker left running.
export default async function globalTeardown() {
  stopLeftoverServers();
}
