import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The tests read the shipped seed file, so they check what the server loaded
// rather than a copy of it. Only the fields the tests need are extracted.
export interface SeedCommitment {
  slug: string;
  title: string;
  summary: string;
  ownedBy: string[];
  /** The quotes of the commitment's sources, in the seed's order. */
  quotes: string[];
  /** The quotes of the sources its seeded status changes cite. */
  citedQuotes: string[];
}

const seedText = readFileSync(join(__dirname, '..', '..', 'seed', 'summit-2025-11-01.toml'), 'utf8');

// TOML basic strings in this file use JSON-compatible escapes; literal
// strings ('…') have none.
function value(block: string, key: string): string | undefined {
  const match = block.match(new RegExp(`^${key} = (".*"|'.*')$`, 'm'));
  if (!match) return undefined;
  const raw = match[1];
  return raw.startsWith("'") ? raw.slice(1, -1) : JSON.parse(raw);
}

function list(block: string, key: string): string[] {
  const match = block.match(new RegExp(`^${key} = (\\[.*\\])$`, 'm'));
  return match ? JSON.parse(match[1]) : [];
}

const quoteByKey = new Map<string, string>();
for (const block of seedText.split('[[sources]]').slice(1)) {
  const source = block.split('[[commitments]]')[0];
  quoteByKey.set(value(source, 'key')!, value(source, 'quote')!);
}

export const commitments: SeedCommitment[] = seedText
  .split('[[commitments]]')
  .slice(1)
  .map((block) => {
    const [head, ...statuses] = block.split('[[commitments.status]]');
    const cited = new Set(statuses.flatMap((status) => list(status, 'sources')));
    return {
      slug: value(head, 'slug')!,
      title: value(head, 'title')!,
      summary: value(head, 'summary')!,
      ownedBy: list(head, 'owed_by'),
      quotes: list(head, 'sources').map((key) => quoteByKey.get(key)!),
      citedQuotes: [...cited].map((key) => quoteByKey.get(key)!),
    };
  });

export const summitTitle = value(seedText.split('[[parties]]')[0], 'title')!;
export const summitSlug = value(seedText.split('[[parties]]')[0], 'slug')!;
