import { STATUS_LABELS, commitmentList, expect, statusPanel, test, timelineEntries } from './fixtures';
import { commitments, summitTitle } from './seed';

const bilateral = commitments.find((c) => c.ownedBy.length === 2)!;
const anyStatus = new RegExp(`Overall: (${STATUS_LABELS.join('|')})`);

test('the seed file yields the commitments the tests rely on', () => {
  expect(commitments.length).toBeGreaterThanOrEqual(12);
  for (const c of commitments) {
    expect(c.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(c.title).toBeTruthy();
    expect(c.summary).toBeTruthy();
    expect(c.quotes.length).toBeGreaterThan(0);
    for (const quote of c.quotes) expect(quote).toBeTruthy();
    for (const quote of c.citedQuotes) expect(c.quotes).toContain(quote);
  }
});

test('the list shows every seeded commitment with its statuses', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));

  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle(/Summit commitments, tracked/);
  await expect(page.getByRole('heading', { level: 1, name: 'Summit commitments, tracked' })).toBeVisible();
  await expect(page.getByRole('link', { name: summitTitle })).toBeVisible();

  const list = commitmentList(page);
  await expect(list).toHaveAccessibleName(`Commitments (${commitments.length})`);
  await expect(list.getByRole('article')).toHaveCount(commitments.length);
  for (const c of commitments) {
    const card = list.getByRole('article', { name: c.title, exact: true });
    const link = card.getByRole('link', { name: c.title, exact: true });
    await expect(link).toBeVisible();
    await expect(link).toHaveAttribute('href', `/commitments/${c.slug}`);
    // Every card names its overall status in words, not only in colour.
    await expect(card).toContainText(anyStatus);
  }
  const scoreboard = page.getByRole('region', { name: 'Scoreboard' });
  await expect(scoreboard).toContainText(`${commitments.length} commitments in all, by overall status`);
  await expect(scoreboard).toContainText('Not yet rated');
  expect(errors).toEqual([]);
});

test('a permalink opened directly shows the text, statuses, timeline and sources', async ({ page, baseURL }) => {
  const response = await page.goto(`/commitments/${bilateral.slug}`);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(bilateral.title);
  await expect(page).toHaveTitle(`${bilateral.title} · Accord`);
  await expect(page.getByRole('article', { name: bilateral.title })).toContainText(bilateral.summary);

  const status = statusPanel(page);
  await expect(status.getByRole('heading', { name: 'Overall' })).toBeVisible();
  await expect(status.getByRole('heading', { name: 'China' })).toBeVisible();
  await expect(status.getByRole('heading', { name: 'South Korea' })).toBeVisible();

  const entries = timelineEntries(page);
  await expect(entries).toHaveCount(2);
  await expect(entries.first()).toHaveAttribute('id', /^update-\d+$/);
  await expect(entries.first()).toContainText('Evidence:');

  const sources = page.getByRole('region', { name: /^Sources/ });
  for (const quote of bilateral.quotes) {
    await expect(sources.getByRole('blockquote').filter({ hasText: quote })).toBeVisible();
  }

  // Links to share are absolute, on the site's own address.
  const canonical = page.locator('head link[rel="canonical"]');
  await expect(canonical).toHaveAttribute('href', `${baseURL}/commitments/${bilateral.slug}`);
  await expect(page.locator('head meta[property="og:title"]')).toHaveAttribute('content', bilateral.title);

  await expect(page.getByRole('region', { name: 'What the statuses mean' })).toContainText('Not yet rated');
});

test('a link to one timeline entry lands on it', async ({ page, baseURL }) => {
  await page.goto(`/commitments/${bilateral.slug}`);
  const entry = timelineEntries(page).last();
  const link = entry.getByRole('link', { name: /^Link to this update/ });
  const href = await link.getAttribute('href');
  expect(href).toMatch(new RegExp(`^${baseURL}/commitments/${bilateral.slug}#update-\\d+$`));

  await page.goto(href!);
  await expect(entry).toBeInViewport();
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
  expect(await entry.evaluate((element) => element.matches(':target'))).toBe(true);

  await page.goto(`/commitments/${bilateral.slug}`);
  await link.click();
  await expect(page).toHaveURL(href!);
  await expect(entry).toBeInViewport();
});

test('the copy button comes alive: Copy link puts the permalink on the clipboard', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`/commitments/${bilateral.slug}`);
  // The button exists only once its island has hydrated (the page's only wasm).
  const button = page.getByRole('button', { name: 'Copy link' });
  await expect(button).toBeVisible();
  await button.click();
  await expect(page.getByRole('status').filter({ hasText: 'Link copied' })).toHaveText('Link copied to the clipboard.');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(`${baseURL}/commitments/${bilateral.slug}`);
  // The embed snippet's button is a second island on the same page.
  await expect(page.getByRole('button', { name: 'Copy embed code' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('an unknown commitment is a 404 with a way back', async ({ page }) => {
  const response = await page.goto('/commitments/no-such-commitment');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('We can’t find that page');
  await page.getByRole('link', { name: 'Browse all commitments' }).click();
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Summit commitments, tracked' })).toBeVisible();
});

test('keyboard users can skip to the content', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
});
