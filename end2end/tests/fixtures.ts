import { type Browser, type Locator, type Page, test as base, expect } from '@playwright/test';
import { basename } from 'node:path';
import { EDITOR_PASSWORD } from './accounts';
import { type AccordServer, startServer } from './server';

export { expect };

/** Starts one server per spec file: the first test of a file starts it (and
 * stops the previous file's), so each file begins with a fresh database
 * whatever ran before it, and its tests share that server. */
class ServerPerFile {
  private current?: { file: string; server: AccordServer };

  constructor(private readonly workerIndex: number) {}

  async serverFor(file: string): Promise<AccordServer> {
    if (this.current?.file === file) return this.current.server;
    await this.stop();
    // The worker's index keeps the folder of a file's server apart from the
    // one a restarted worker (after a failure) makes for the same file.
    const name = `${basename(file).replace(/\.spec\.ts$/, '')}-w${this.workerIndex}`;
    const server = await startServer(name);
    this.current = { file, server };
    return server;
  }

  async stop() {
    const current = this.current;
    this.current = undefined;
    await current?.server.stop();
  }
}

export const test = base.extend<{ server: AccordServer }, { serverPerFile: ServerPerFile }>({
  serverPerFile: [
    async ({}, use, workerInfo) => {
      const servers = new ServerPerFile(workerInfo.workerIndex);
      await use(servers);
      await servers.stop();
    },
    { scope: 'worker' },
  ],
  server: async ({ serverPerFile }, use, testInfo) => {
    await use(await serverPerFile.serverFor(testInfo.file));
  },
  // Every page and context of the test, including those made with
  // `browser.newContext()`, resolves relative paths against this file's server.
  baseURL: async ({ server }, use) => {
    await use(server.url);
  },
});

export const EDITOR = 'e2e-alice';
export const OTHER_EDITOR = 'e2e-bob';

export const STATUS_LABELS = ['Not yet rated', 'In progress', 'Stalled', 'Partly fulfilled', 'Fulfilled', 'Not fulfilled'];

/** Signs in through the sign-in form, as an editor does. */
export async function signIn(page: Page, name = EDITOR) {
  await page.goto('/login');
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(EDITOR_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(`Signed in as ${name}`)).toBeVisible();
}

/** A signed-in editor in a browser context of their own. */
export async function editorPage(browser: Browser, name = EDITOR, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  await signIn(page, name);
  return page;
}

/** The list of commitments on `/` or a summit's page: the region headed by
 * the view's description and its count, e.g. "Commitments (13)". */
export function commitmentList(page: Page): Locator {
  return page.getByRole('region', { name: /\(\d+\)$/ });
}

/** One commitment's card in the list, named by its title. */
export function card(page: Page, title: string): Locator {
  return commitmentList(page).getByRole('article', { name: title, exact: true });
}

/** The titles of the listed commitments, in order. */
export async function listedTitles(page: Page): Promise<string[]> {
  return commitmentList(page).getByRole('article').getByRole('heading', { level: 3 }).allInnerTexts();
}

/** The entries of a commitment's timeline, newest first. */
export function timelineEntries(page: Page): Locator {
  return page.getByRole('region', { name: 'Timeline' }).getByRole('listitem');
}

/** A commitment's party statuses, as its Status panel shows them. */
export function statusPanel(page: Page): Locator {
  return page.getByRole('region', { name: 'Status', exact: true });
}

/** A source on a commitment's page, found by its quote. */
export function sourceEntry(page: Page, quote: string): Locator {
  return page
    .getByRole('region', { name: /^Sources/ })
    .getByRole('listitem')
    .filter({ has: page.getByRole('blockquote').filter({ hasText: quote }) });
}

export interface StatusChange {
  /** "China", "South Korea" or "Both parties". */
  party: string;
  /** The status as the form names it, e.g. "In progress". */
  status: string;
  /** YYYY-MM-DD, after the summit and not in the future. */
  on: string;
  note: string;
}

/** Fills and sends the "Update status" form of the open commitment page,
 * with a new source as evidence (dated the day of the change). */
export async function recordStatusChange(page: Page, change: StatusChange) {
  const form = page.getByRole('region', { name: 'Update status' });
  await form.getByLabel(change.party === 'Both parties' ? 'Both parties' : new RegExp(`^${change.party} \\(now `)).check();
  await form.getByLabel('New status').selectOption({ label: change.status });
  await form.getByLabel('Date it took effect').fill(change.on);
  await form.getByLabel(/^Note/).fill(change.note);
  const source = form.getByRole('group', { name: /or add a new source/ });
  await source.getByLabel('Publisher').fill('Test Wire');
  await source.getByLabel('Title', { exact: true }).fill(`Report: ${change.note}`);
  await source.getByLabel('Date published').fill(change.on);
  await source.getByLabel('Exact quote').fill(`Reported: ${change.note}`);
  await form.getByRole('button', { name: 'Save status change' }).click();
}

export interface NewCommitment {
  title: string;
  summary: string;
  /** The theme as the form names it, e.g. "Public safety". */
  theme: string;
  proposedBy: 'China' | 'South Korea' | 'Both sides jointly';
  owedBy: string[];
  /** YYYY-MM-DD, or nothing for no due date. */
  dueOn?: string;
  dueNote?: string;
}

/** Fills the open "New commitment" form (the title may be left blank). */
export async function fillCommitmentForm(page: Page, commitment: NewCommitment) {
  await page.getByLabel(/^Title:/).fill(commitment.title);
  await page.getByLabel(/^Summary:/).fill(commitment.summary);
  await page.getByLabel('Theme').selectOption({ label: commitment.theme });
  await page.getByRole('group', { name: 'Proposed by' }).getByLabel(commitment.proposedBy, { exact: true }).check();
  const owedBy = page.getByRole('group', { name: 'Owed by' });
  for (const party of commitment.owedBy) await owedBy.getByLabel(party, { exact: true }).check();
  if (commitment.dueOn) {
    await page.getByLabel('Due date (optional)').fill(commitment.dueOn);
    await page.getByRole('group', { name: 'The due date is…' }).getByLabel('Stated in a source').check();
    await page.getByLabel(/^Where the due date comes from/).fill(commitment.dueNote ?? 'Stated in a browser test.');
  }
}

/** Creates a commitment through the "New commitment" link and form as a
 * signed-in editor; returns its permalink's path. */
export async function createCommitment(page: Page, commitment: NewCommitment): Promise<string> {
  await page.goto('/');
  await page.getByRole('link', { name: 'New commitment' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New commitment' })).toBeVisible();
  await fillCommitmentForm(page, commitment);
  await page.getByRole('button', { name: 'Save commitment' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(commitment.title);
  const path = new URL(page.url()).pathname;
  expect(path).toMatch(/^\/commitments\/[a-z0-9-]+$/);
  return path;
}

/** A pattern matching `text` exactly (whitespace around it aside). */
export function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}
