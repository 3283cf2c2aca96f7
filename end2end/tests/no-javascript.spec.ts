import { EDITOR, commitmentList, expect, test, timelineEntries } from './fixtures';
import { commitments } from './seed';

// Readers without JavaScript get complete pages from the server.
test.use({ javaScriptEnabled: false });

test('the list is complete without JavaScript', async ({ page }) => {
  await page.goto('/');
  await expect(commitmentList(page).getByRole('article')).toHaveCount(commitments.length);
  for (const c of commitments) {
    await expect(page.getByRole('link', { name: c.title, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('region', { name: 'Scoreboard' })).toBeVisible();
});

test('a permalink is complete without JavaScript and shows the link to copy', async ({ page, baseURL }) => {
  for (const c of commitments) {
    await page.goto(`/commitments/${c.slug}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(c.title);
    await expect(timelineEntries(page)).toHaveCount(c.ownedBy.length);
    for (const quote of c.quotes) {
      await expect(page.getByRole('blockquote').filter({ hasText: quote })).toBeVisible();
    }
    const field = page.getByLabel('Permanent link');
    await expect(field).toHaveValue(`${baseURL}/commitments/${c.slug}`);
    // No dead button: Copy link needs the Clipboard API and appears only
    // after hydration (reading.spec.ts finds it with JavaScript on).
    await expect(page.getByRole('button', { name: 'Copy link' })).toHaveCount(0);
  }
});

test('a wrong password is explained without JavaScript too', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('User name').fill(EDITOR);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('That user name and password do not match an enabled account.')).toBeVisible();
  await expect(page.getByLabel('User name')).toHaveValue(EDITOR);
});

test('the methodology is reachable from the footer without JavaScript', async ({ page }) => {
  await page.goto('/ko/');
  await page.getByRole('contentinfo').getByRole('link', { name: '평가 방법' }).click();
  await expect(page).toHaveURL(/\/ko\/methodology$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accord의 약속 평가 방법');
  // Each of the six statuses, named and defined.
  const statuses = page.getByRole('region', { name: '상태와 그 의미' });
  await expect(statuses.getByRole('term')).toHaveCount(6);
  await expect(statuses.getByRole('definition')).toHaveCount(6);
});
