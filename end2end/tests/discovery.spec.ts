import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import {
  card,
  commitmentList,
  editorPage,
  expect,
  listedTitles,
  recordStatusChange,
  test,
  timelineEntries,
} from './fixtures';
import { commitments, summitSlug, summitTitle } from './seed';

/** The list's filter form (a search landmark). */
const filters = (page: Page) => page.getByRole('search', { name: 'Filter and search commitments' });

test('filtering by status shows only that status, and the URL reproduces the view', async ({ page, browser }) => {
  // The status filtered on is made here, not taken from the seed's ratings:
  // an editor marks both parties of one commitment Stalled.
  const stalled = commitments.find((c) => c.ownedBy.length === 2)!;
  const editor = await editorPage(browser);
  await editor.goto(`/commitments/${stalled.slug}`);
  await recordStatusChange(editor, {
    party: 'Both parties',
    status: 'Stalled',
    on: '2026-05-01',
    note: 'Talks were suspended (browser test).',
  });
  await expect(timelineEntries(editor).first()).toContainText('Talks were suspended (browser test).');
  await editor.context().close();

  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  await expect(commitmentList(page).getByRole('article')).toHaveCount(commitments.length);

  // The filter form is a plain GET form (the page ships no router code):
  // choosing a status and pressing Apply loads the filtered view's URL.
  await filters(page).getByLabel('Status', { exact: true }).selectOption({ label: 'Stalled' });
  await filters(page).getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/[?&]status=stalled/);
  const list = commitmentList(page);
  await expect(list).toHaveAccessibleName(/^Stalled commitments \(\d+\)$/);

  const titles = await listedTitles(page);
  expect(titles).toContain(stalled.title);
  expect(titles.length).toBeLessThan(commitments.length);
  await expect(list).toHaveAccessibleName(`Stalled commitments (${titles.length})`);
  for (const title of titles) {
    await expect(list.getByRole('article', { name: title, exact: true })).toContainText('Overall: Stalled');
  }

  // The shared link, opened by someone else, shows the same view.
  const shared = page.url();
  const other = await browser.newContext();
  const reader = await other.newPage();
  const response = await reader.goto(shared);
  expect(response?.status()).toBe(200);
  expect(await listedTitles(reader)).toEqual(titles);
  await expect(filters(reader).getByLabel('Status', { exact: true })).toHaveValue('stalled');
  await other.close();
  expect(errors).toEqual([]);
});

test('search finds words in titles and quotes, and says when nothing matches', async ({ page }) => {
  await page.goto('/');
  const search = page.getByRole('searchbox', { name: 'Search titles, summaries and source quotes' });
  await search.fill('gambling');
  await search.press('Enter');
  await expect(page).toHaveURL(/[?&]q=gambling/);
  const gambling = commitments.find((c) => /gambling/i.test(c.title))!;
  await expect(commitmentList(page).getByRole('link', { name: gambling.title, exact: true })).toBeVisible();
  await expect(commitmentList(page).getByRole('article')).not.toHaveCount(commitments.length);

  await search.fill('zzyzx');
  await search.press('Enter');
  await expect(page.getByText('No commitments match these filters.')).toBeVisible();
  await expect(commitmentList(page).getByRole('article')).toHaveCount(0);
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await expect(commitmentList(page).getByRole('article')).toHaveCount(commitments.length);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the filter form is a plain GET form', async ({ page }) => {
    await page.goto('/');
    await filters(page).getByLabel('Theme').selectOption({ label: 'Public safety' });
    await filters(page).getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(/[?&]theme=security/);
    const titles = await listedTitles(page);
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.length).toBeLessThan(commitments.length);
    for (const title of titles) {
      await expect(card(page, title)).toContainText('Public safety');
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
  await expect(commitmentList(page).getByRole('article')).toHaveCount(commitments.length);
});

for (const path of [
  '/',
  `/commitments/${commitments[0].slug}`,
  `/summits/${summitSlug}`,
  '/summits',
  '/?status=in_progress&q=apec',
  '/methodology',
  '/ko/',
  `/ko/commitments/${commitments[0].slug}`,
  '/ko/summits',
  '/ko/methodology',
  '/zh/',
  `/zh/commitments/${commitments[0].slug}`,
  `/zh/summits/${summitSlug}`,
  '/zh/methodology',
]) {
  test(`axe finds no accessibility violations on ${path}`, async ({ page }) => {
    await page.goto(path);
    await expect(page.getByRole('main')).toBeVisible();
    const results = await new AxeBuilder({ page }).analyze();
    const summary = results.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
    expect(summary).toEqual([]);
  });
}
