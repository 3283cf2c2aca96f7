import { commitmentList, expect, test } from './fixtures';
import { commitments } from './seed';

const commitment = commitments[0];

test('the language switcher on a permalink lands on the same commitment, in Korean, at the same place', async ({ page, baseURL }) => {
  await page.goto(`/commitments/${commitment.slug}#sources-heading`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  const switcher = page.getByRole('navigation', { name: 'Language' });
  await expect(switcher.getByRole('link', { name: 'English' })).toHaveAttribute('aria-current', 'page');
  await switcher.getByRole('link', { name: '한국어' }).click();
  await expect(page).toHaveURL(`/ko/commitments/${commitment.slug}#sources-heading`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
  // The same commitment: its permanent link names it, in Korean.
  await expect(page.getByLabel('고정 링크')).toHaveValue(`${baseURL}/ko/commitments/${commitment.slug}`);
  await expect(page.getByRole('heading', { level: 2, name: /^출처/ })).toBeInViewport();
  // And on to Chinese, then back to English, keeping the anchor.
  await page.getByRole('navigation', { name: '언어' }).getByRole('link', { name: '中文' }).click();
  await expect(page).toHaveURL(`/zh/commitments/${commitment.slug}#sources-heading`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hans');
  await expect(page.getByRole('heading', { level: 2, name: /^来源/ })).toBeInViewport();
  await page.getByRole('navigation', { name: '语言' }).getByRole('link', { name: 'English' }).click();
  await expect(page).toHaveURL(`/commitments/${commitment.slug}#sources-heading`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(commitment.title);
});

test('filters survive a change of language', async ({ page }) => {
  await page.goto('/?status=in_progress&party=kr');
  await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: '中文' }).click();
  await expect(page).toHaveURL('/zh/?status=in_progress&party=kr');
  const filters = page.getByRole('search', { name: '筛选和搜索承诺' });
  await expect(filters.getByLabel('状态', { exact: true })).toHaveValue('in_progress');
  await expect(filters.getByLabel('履行方', { exact: true })).toHaveValue('kr');
});

test('searching in Korean and in Chinese finds the translated titles', async ({ page }) => {
  // 협정 ("agreement") is in two Korean titles or summaries of the shipped
  // translations, 自贸 ("free trade") in one Chinese one.
  await page.goto('/ko/?q=%ED%98%91%EC%A0%95');
  await expect(commitmentList(page).getByRole('article')).toHaveCount(2);
  await page.goto('/zh/?q=%E8%87%AA%E8%B4%B8');
  await expect(commitmentList(page).getByRole('article')).toHaveCount(1);
});
