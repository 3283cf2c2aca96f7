import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { commitmentList, expect, listedTitles, test } from './fixtures';
import { commitments, summitSlug } from './seed';

// A phone held upright (an iPhone 12–15's CSS viewport): the first screen is
// 844 px tall. Readers there should meet commitments, not the filter form.
const PHONE = { width: 390, height: 844 };
test.use({ viewport: PHONE });

/** The fold's summary line, which names the active filters. */
const foldSummary = (page: Page) => page.locator('details.filter-fold > summary');
/** The filter form (a search landmark); hidden while the fold is closed. */
const filters = (page: Page) => page.getByRole('search', { name: 'Filter and search commitments' });
/** A field of the form, found in the DOM whether or not it is shown, so
 * "hidden" means folded away, not missing. */
const statusField = (page: Page) => page.locator('#filter-status');

/** How far down the page the first listed commitment starts, in CSS px. */
async function firstCommitmentTop(page: Page): Promise<number> {
  const first = commitmentList(page).getByRole('article').first();
  await expect(first).toBeAttached();
  // After a form's navigation the new document can be measured before its
  // stylesheet has been applied (Chromium lays out a script's query without
  // pending sheets), which puts the overview above the list as in plain HTML.
  // A reader never sees that layout: painting waits for the sheet.
  await page.waitForLoadState('load');
  const box = await page.evaluate(() => {
    const article = document.querySelector('.commitment-list article');
    return article ? article.getBoundingClientRect().top + window.scrollY : Number.NaN;
  });
  test.info().annotations.push({ type: 'first commitment top (px)', description: String(Math.round(box)) });
  return box;
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled });

    test('the first commitment is on the first screen and the filters are folded', async ({ page }) => {
      await page.goto('/');
      expect(await firstCommitmentTop(page)).toBeLessThan(PHONE.height);
      // The first commitment's title is in view without scrolling.
      await expect(commitmentList(page).getByRole('article').first().getByRole('heading', { level: 3 })).toBeInViewport();
      await expect(foldSummary(page)).toHaveText('Filter and search');
      await expect(statusField(page)).toBeHidden();
      // The scoreboard and chart are still there, after the list.
      await expect(page.getByRole('region', { name: 'Scoreboard' })).toBeAttached();
    });

    test('the summary opens the form, filtering works, and the summary names the filters', async ({ page }) => {
      await page.goto('/');
      await foldSummary(page).click();
      await expect(filters(page)).toBeVisible();
      await filters(page).getByLabel('Theme').selectOption({ label: 'Public safety' });
      await filters(page).getByRole('button', { name: 'Apply' }).click();
      await expect(page).toHaveURL(/[?&]theme=security/);

      // The filtered view comes back folded, its summary naming the filter.
      await expect(foldSummary(page)).toHaveText('Filters: Theme: Public safety');
      await expect(statusField(page)).toBeHidden();
      const titles = await listedTitles(page);
      expect(titles.length).toBeGreaterThan(0);
      expect(titles.length).toBeLessThan(commitments.length);
      expect(await firstCommitmentTop(page)).toBeLessThan(PHONE.height);

      // Opening it shows the form filled with the view's choices.
      await foldSummary(page).click();
      await expect(filters(page).getByLabel('Theme')).toBeVisible();
      await expect(filters(page).getByLabel('Theme')).toHaveValue('security');
    });

    test('a search and a sort are named in the summary too', async ({ page }) => {
      await page.goto('/?q=apec&sort=title&overdue=0');
      await expect(foldSummary(page)).toHaveText('Filters: Search: “apec” · Sort by: Title');
    });

    test('the fold opens from the keyboard', async ({ page }) => {
      await page.goto('/');
      await foldSummary(page).focus();
      await page.keyboard.press('Enter');
      await expect(filters(page).getByLabel('Status', { exact: true })).toBeVisible();
      await page.keyboard.press('Tab');
      await expect(filters(page).getByRole('searchbox')).toBeFocused();
    });
  });
}

test('a value the list cannot use opens the fold, so its message shows', async ({ page }) => {
  const response = await page.goto('/?status=nonsense');
  expect(response?.status()).toBe(400);
  await expect(filters(page)).toBeVisible();
  await expect(filters(page).locator('.field-error')).toBeVisible();
});

test('Korean and Chinese summaries name the filters in their language', async ({ page }) => {
  await page.goto('/ko/?theme=security');
  await expect(foldSummary(page)).toHaveText('적용된 필터: 분야: 공공 안전');
  await page.goto('/zh/');
  await expect(foldSummary(page)).toHaveText('筛选和搜索');
});

test('a summit page folds its filters as well', async ({ page }) => {
  await page.goto(`/summits/${summitSlug}`);
  await expect(foldSummary(page)).toBeVisible();
  await expect(statusField(page)).toBeHidden();
  await expect(commitmentList(page).getByRole('article')).toHaveCount(commitments.length);
});

for (const javaScriptEnabled of [true, false]) {
  test.describe(`a summit page, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled });

    test('folds its summary and shows its first commitment on the first screen', async ({ page }) => {
      await page.goto(`/summits/${summitSlug}`);
      expect(await firstCommitmentTop(page)).toBeLessThan(PHONE.height);
      const about = page.locator('details.summit-about');
      const lead = about.locator('.lead');
      await expect(lead).toBeHidden();
      await about.getByText('About this summit').click();
      await expect(lead).toBeVisible();
      await expect(lead).not.toBeEmpty();
    });
  });
}

test('a summit page shows its summary unfolded on a wide screen and in print', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/summits/${summitSlug}`);
  const about = page.locator('details.summit-about');
  await expect(about.locator('.lead')).toBeVisible();
  await expect(about.locator('summary')).toBeHidden();
  await page.setViewportSize(PHONE);
  await page.emulateMedia({ media: 'print' });
  await expect(about.locator('.lead')).toBeVisible();
});

for (const open of [false, true]) {
  test(`axe finds no violations on the phone list, fold ${open ? 'open' : 'closed'}`, async ({ page }) => {
    await page.goto('/?theme=security');
    if (open) await foldSummary(page).click();
    await expect(statusField(page)).toBeVisible({ visible: open });
    const results = await new AxeBuilder({ page }).analyze();
    const summary = results.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
    expect(summary).toEqual([]);
  });
}

test.describe('on a wide screen', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('the form shows unfolded and the summary is not in the way', async ({ page }) => {
    await page.goto('/?theme=security');
    await expect(filters(page).getByLabel('Theme')).toBeVisible();
    await expect(foldSummary(page)).toBeHidden();
  });
});
