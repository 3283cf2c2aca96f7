import { EDITOR_PASSWORD } from './accounts';
import { EDITOR, expect, test } from './fixtures';
import { commitments } from './seed';

const commitment = commitments[0];

test('a wrong password gets one vague message', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('User name').fill(EDITOR);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('That user name and password do not match an enabled account.')).toBeVisible();
  await expect(page.getByLabel('User name')).toHaveValue(EDITOR);
  await expect(page.getByRole('link', { name: 'Editor sign-in' })).toBeVisible();
});

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled });

    test('an editor signs out: the editing controls go, and editor pages ask to sign in again', async ({ page }) => {
      await page.goto('/');
      await page.getByRole('link', { name: 'Editor sign-in' }).click();
      await expect(page).toHaveURL('/login');
      await page.getByLabel('User name').fill(EDITOR);
      await page.getByLabel('Password').fill(EDITOR_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page).toHaveURL('/');
      await expect(page.getByText(`Signed in as ${EDITOR}`)).toBeVisible();
      await page.goto(`/commitments/${commitment.slug}`);
      await expect(page.getByRole('region', { name: 'Update status' })).toBeVisible();
      await expect(page.getByRole('link', { name: 'Edit this commitment' })).toBeVisible();
      await expect(page.getByRole('link', { name: 'Review suggestions' })).toBeVisible();
      await expect(page.getByRole('link', { name: 'Editor sign-in' })).toHaveCount(0);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect(page).toHaveURL('/');
      await expect(page.getByRole('link', { name: 'Editor sign-in' })).toBeVisible();
      await expect(page.getByText(`Signed in as ${EDITOR}`)).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
      await expect(page.getByRole('link', { name: 'Review suggestions' })).toHaveCount(0);

      await page.goto(`/commitments/${commitment.slug}`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(commitment.title);
      await expect(page.getByRole('region', { name: 'Update status' })).toHaveCount(0);
      await expect(page.getByRole('link', { name: 'Edit this commitment' })).toHaveCount(0);
      await expect(page.getByRole('region', { name: 'Suggest an update' })).toBeVisible();

      // Editors' pages now ask for a sign-in, which leads back to them.
      const edit = await page.goto(`/commitments/${commitment.slug}/edit`);
      expect(edit?.status()).toBe(401);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Editors only.');
      const review = await page.goto('/review');
      expect(review?.status()).toBe(401);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Suggestions to review');
      await expect(page.getByText('Editors only.')).toBeVisible();
      await page.getByRole('main').getByRole('link', { name: 'Editor sign-in' }).click();
      await page.getByLabel('User name').fill(EDITOR);
      await page.getByLabel('Password').fill(EDITOR_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page).toHaveURL('/review');
      await expect(page.getByText(`Signed in as ${EDITOR}`)).toBeVisible();
      await expect(page.getByText('Editors only.')).toHaveCount(0);
    });

    test('Back after signing out does not bring an editor page up again', async ({ page }) => {
      await page.goto('/login');
      await page.getByLabel('User name').fill(EDITOR);
      await page.getByLabel('Password').fill(EDITOR_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByText(`Signed in as ${EDITOR}`)).toBeVisible();
      await page.goto('/review');
      await expect(page.getByText(`Signed in as ${EDITOR}`)).toBeVisible();
      await expect(page.getByText('Editors only.')).toHaveCount(0);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect(page).toHaveURL('/');
      await page.goBack();
      await expect(page).toHaveURL('/review');
      // The browser kept no copy of the editor's page: it asks the server,
      // which now answers as to a reader.
      await expect(page.getByText('Editors only.')).toBeVisible();
      await expect(page.getByText(`Signed in as ${EDITOR}`)).toHaveCount(0);
    });
  });
}
