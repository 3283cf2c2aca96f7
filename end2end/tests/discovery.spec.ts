import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { EDITOR_PASSWORD } from './accounts';
import { commitments, editedByTests, summitSlug, summitTitle, untouched } from './seed';

/** The titles of the commitment cards on the page, in order. */
async function listedTitles(page: Page): Promise<string[]> {
  return page.locator('.commitment-card h3').allInnerTexts();
}

test('filtering by status shows only that status, and the URL reproduces the view', async ({ page, browser }) => {
  // The status filtered on is made here, not taken from the seed's ratings:
  // an editor marks both parties of one commitment Stalled.
  const stalled = editedByTests[editedByTests.length - 1];
  const editor = await (await browser.newContext()).newPage();
  await editor.goto('/login');
  await editor.getByLabel('User name').fill('e2e-alice');
  await editor.getByLabel('Password').fill(EDITOR_PASSWORD);
  await editor.getByRole('button', { name: 'Sign in' }).click();
  await expect(editor.getByText('Signed in as e2e-alice')).toBeVisible();
  await editor.goto(`/commitments/${stalled.slug}`);
  const form = editor.getByRole('region', { name: 'Update status' });
  await form.getByLabel('Both parties').check();
  await form.getByLabel('New status').selectOption('stalled');
  await form.getByLabel('Date it took effect').fill('2026-05-01');
  await form.getByLabel(/^Note/).fill('Talks were suspended (browser test).');
  await form.getByRole('group', { name: /Evidence/ }).getByRole('checkbox').first().check();
  await form.getByRole('button', { name: 'Save status change' }).click();
  await expect(editor.locator('li.timeline-entry').first()).toContainText('Talks were suspended (browser test).');
  await editor.context().close();

  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  await expect(page.locator('.commitment-card')).toHaveCount(commitments.length);

  // The filter form is a plain GET form (the page ships no router code):
  // choosing a status and pressing Apply loads the filtered view's URL.
  await page.getByLabel('Status', { exact: true }).selectOption('stalled');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/[?&]status=stalled/);
  const heading = page.locator('#commitments-heading');
  await expect(heading).toContainText('Stalled commitments');

  const titles = await listedTitles(page);
  expect(titles).toContain(stalled.title);
  expect(titles.length).toBeLessThan(commitments.length);
  for (const badge of await page.locator('.commitment-card .overall .badge').allInnerTexts()) {
    expect(badge.trim()).toBe('Stalled');
  }
  await expect(heading).toContainText(`(${titles.length})`);

  // The shared link, opened by someone else, shows the same view.
  const shared = page.url();
  const other = await browser.newContext();
  const reader = await other.newPage();
  const response = await reader.goto(shared);
  expect(response?.status()).toBe(200);
  expect(await listedTitles(reader)).toEqual(titles);
  await expect(reader.getByLabel('Status', { exact: true })).toHaveValue('stalled');
  await other.close();
  expect(errors).toEqual([]);
});

test('search finds words in titles and quotes, and says when nothing matches', async ({ page }) => {
  await page.goto('/');
  const search = page.getByLabel('Search titles, summaries and source quotes');
  await search.fill('gambling');
  await search.press('Enter');
  await expect(page).toHaveURL(/[?&]q=gambling/);
  const gambling = commitments.find((c) => /gambling/i.test(c.title))!;
  await expect(page.getByRole('link', { name: gambling.title, exact: true })).toBeVisible();

  await search.fill('zzyzx');
  await search.press('Enter');
  await expect(page.getByText('No commitments match these filters.')).toBeVisible();
  await expect(page.locator('.commitment-card')).toHaveCount(0);
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await expect(page.locator('.commitment-card')).toHaveCount(commitments.length);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the filter form is a plain GET form', async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Theme').selectOption('security');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(/[?&]theme=security/);
    const titles = await listedTitles(page);
    expect(titles.length).toBeGreaterThan(0);
    for (const card of await page.locator('.commitment-card .eyebrow').allInnerTexts()) {
      expect(card).toMatch(/public safety/i);
    }
    // The chart and its table are rendered on the server.
    await expect(page.getByRole('img', { name: 'How the statuses changed over time' })).toBeVisible();
    await page.getByText('The figures as a table').click();
    await expect(page.getByRole('table')).toBeVisible();
  });
});

test('a summit page lists its commitments', async ({ page }) => {
  await page.goto('/summits');
  await page.getByRole('link', { name: summitTitle }).first().click();
  await expect(page).toHaveURL(`/summits/${summitSlug}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(summitTitle);
  await expect(page.locator('.commitment-card')).toHaveCount(commitments.length);
});

for (const path of [
  '/',
  `/commitments/${untouched[0].slug}`,
  `/summits/${summitSlug}`,
  '/summits',
  '/?status=in_progress&q=apec',
  '/methodology',
  '/ko/',
  `/ko/commitments/${untouched[0].slug}`,
  '/ko/summits',
  '/ko/methodology',
  '/zh/',
  `/zh/commitments/${untouched[0].slug}`,
  `/zh/summits/${summitSlug}`,
  '/zh/methodology',
]) {
  test(`axe finds no accessibility violations on ${path}`, async ({ page }) => {
    await page.goto(path);
    await expect(page.locator('main')).toBeVisible();
    const results = await new AxeBuilder({ page }).analyze();
    const summary = results.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
    expect(summary).toEqual([]);
  });
}
