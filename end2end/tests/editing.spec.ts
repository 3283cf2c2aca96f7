import { type Browser, type Page, expect, test } from '@playwright/test';
import { EDITOR_PASSWORD } from './accounts';
import { editedByTests } from './seed';

const [suggested, withJs, withoutJs, contested] = editedByTests;

async function signIn(page: Page, name: string) {
  await page.goto('/login');
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(EDITOR_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(`Signed in as ${name}`)).toBeVisible();
}

async function editorPage(browser: Browser, name: string, javaScriptEnabled = true) {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  await signIn(page, name);
  return page;
}

test('readers see no editing controls', async ({ page }) => {
  await page.goto(`/commitments/${withJs.slug}`);
  await expect(page.getByRole('link', { name: 'Editor sign-in' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Update status' })).toHaveCount(0);
});

test('a wrong password gets one vague message', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('User name').fill('e2e-alice');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('That user name and password do not match an enabled account.')).toBeVisible();
  await expect(page.getByLabel('User name')).toHaveValue('e2e-alice');
});

test('an editor changes a status with a new source and sees it on the timeline and the list', async ({ browser }) => {
  const page = await editorPage(browser, 'e2e-alice');
  await page.goto(`/commitments/${withJs.slug}`);
  const form = page.getByRole('region', { name: 'Update status' });
  await form.getByLabel(/^South Korea/).check();
  await form.getByLabel('New status').selectOption('in_progress');
  await form.getByLabel('Date it took effect').fill('2026-03-01');
  await form.getByLabel(/^Note/).fill('Working-level talks began in Seoul (browser test).');
  await form.getByLabel('Publisher').fill('Test Wire');
  await form.getByLabel('Title', { exact: true }).fill('Talks begin');
  await form.getByLabel('Date published').fill('2026-03-01');
  await form.getByLabel('Web address (optional)').fill('https://example.org/talks');
  await form.getByLabel('Exact quote').fill('Working-level talks began on Sunday.');
  await form.getByRole('button', { name: 'Save status change' }).click();

  const newest = page.locator('li.timeline-entry').first();
  await expect(newest).toContainText('Working-level talks began in Seoul (browser test).');
  await expect(newest).toContainText('Recorded by e2e-alice');
  await expect(newest).toContainText('Test Wire');
  await expect(page.getByRole('region', { name: /^Sources/ }).locator('blockquote', { hasText: 'Working-level talks began on Sunday.' })).toBeVisible();

  await page.goto('/');
  const card = page.locator('.commitment-card', { has: page.getByRole('link', { name: withJs.title, exact: true }) });
  await expect(card.locator('.party-status', { hasText: 'South Korea' })).toContainText('In progress');
  await page.context().close();
});

test('editing works without JavaScript', async ({ browser }) => {
  const page = await editorPage(browser, 'e2e-bob', false);
  await page.goto(`/commitments/${withoutJs.slug}`);
  const form = page.getByRole('region', { name: 'Update status' });
  await form.getByLabel('Both parties').check();
  await form.getByLabel('New status').selectOption('stalled');
  await form.getByLabel('Date it took effect').fill('2026-04-01');
  await form.getByLabel(/^Note/).fill('Both sides postponed the follow-up meeting (no-JS test).');
  await form.getByRole('group', { name: /Evidence/ }).getByRole('checkbox').first().check();
  await form.getByRole('button', { name: 'Save status change' }).click();
  await expect(page).toHaveURL(new RegExp(`/commitments/${withoutJs.slug}#update-\\d+$`));
  const entries = page.locator('li.timeline-entry', { hasText: 'Both sides postponed the follow-up meeting (no-JS test).' });
  await expect(entries).toHaveCount(2);
  await page.context().close();
});

test('bad input is shown next to the fields, with the input kept', async ({ browser }) => {
  for (const javaScriptEnabled of [true, false]) {
    const page = await editorPage(browser, 'e2e-alice', javaScriptEnabled);
    await page.goto(`/commitments/${contested.slug}`);
    const form = page.getByRole('region', { name: 'Update status' });
    await form.getByLabel(/^China/).check();
    await form.getByLabel('New status').selectOption('fulfilled');
    await form.getByLabel('Date it took effect').fill('2026-05-01');
    await form.getByLabel(/^Note/).fill('A note that must survive <b>the refusal</b>.');
    await form.getByLabel('Web address (optional)').fill('javascript:alert(1)');
    await form.getByRole('button', { name: 'Save status change' }).click();
    await expect(form.getByText('Only http:// and https:// web addresses are accepted.')).toBeVisible();
    await expect(form.getByText('This field is required.').first()).toBeVisible();
    await expect(form.getByLabel(/^Note/)).toHaveValue('A note that must survive <b>the refusal</b>.');
    await expect(form.getByLabel('New status')).toHaveValue('fulfilled');
    await page.context().close();
  }
});

test('two editors on one commitment: the second is told, and keeps their input', async ({ browser }) => {
  const alice = await editorPage(browser, 'e2e-alice');
  const bob = await editorPage(browser, 'e2e-bob');
  for (const page of [alice, bob]) await page.goto(`/commitments/${contested.slug}`);

  async function submit(page: Page, status: string, note: string) {
    const form = page.getByRole('region', { name: 'Update status' });
    await form.getByLabel(/^China/).check();
    await form.getByLabel('New status').selectOption(status);
    await form.getByLabel('Date it took effect').fill('2026-06-01');
    await form.getByLabel(/^Note/).fill(note);
    await form.getByRole('group', { name: /Evidence/ }).getByRole('checkbox').first().check();
    await form.getByRole('button', { name: 'Save status change' }).click();
  }

  await submit(alice, 'in_progress', 'Alice saw progress.');
  await expect(alice.locator('li.timeline-entry').first()).toContainText('Alice saw progress.');
  await submit(bob, 'fulfilled', 'Bob thinks it is done.');
  await expect(bob.getByRole('alert')).toContainText('e2e-alice changed this commitment');
  await expect(bob.getByRole('alert')).toContainText(/China: [A-Za-z ]+ → In progress/);
  await expect(bob.getByLabel(/^Note/)).toHaveValue('Bob thinks it is done.');
  await expect(bob.locator('li.timeline-entry', { hasText: 'Bob thinks it is done.' })).toHaveCount(0);
  await alice.context().close();
  await bob.context().close();
});

test('a reader suggests an update and an editor accepts it', async ({ page, browser }) => {
  await page.goto(`/commitments/${suggested.slug}`);
  const form = page.getByRole('region', { name: 'Suggest an update' });
  await form.getByLabel('Both parties').check();
  await form.getByLabel('Suggested status').selectOption('in_progress');
  await form.getByLabel('Date it happened').fill('2026-07-01');
  await form.getByLabel('What happened').fill('A joint working group met (reader suggestion test).');
  await form.getByLabel('Publisher').fill('Reader Wire');
  await form.getByLabel('Title', { exact: true }).fill('Working group meets');
  await form.getByLabel('Date published').fill('2026-07-01');
  await form.getByLabel('Exact quote').fill('The working group met for the first time.');
  await form.getByRole('button', { name: 'Send suggestion' }).click();
  await expect(page.getByText('Thank you. Your suggestion is waiting for an editor.')).toBeVisible();
  await page.goto(`/commitments/${suggested.slug}`);
  await expect(page.locator('li.timeline-entry', { hasText: 'reader suggestion test' })).toHaveCount(0);

  const editor = await editorPage(browser, 'e2e-alice');
  await editor.goto('/review');
  const item = editor.locator('li.suggestion', { hasText: 'reader suggestion test' });
  await item.getByRole('button', { name: 'Accept as a status change' }).click();
  await expect(editor.locator('li.suggestion', { hasText: 'reader suggestion test' })).toHaveCount(0);
  await editor.goto(`/commitments/${suggested.slug}`);
  await expect(editor.locator('li.timeline-entry', { hasText: 'Suggested by a reader, accepted by e2e-alice' })).toHaveCount(2);
  await editor.context().close();
});
