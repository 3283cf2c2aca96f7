import { expect, test } from '@playwright/test';
import { EDITOR_PASSWORD } from './accounts';
import { commitments, editedByTests } from './seed';

// A source the seed lists under two commitments, one of them among those the
// editing tests may change: correcting it is a correction on both.
const first = editedByTests[0];
const sharedQuote = first.quotes.find((quote) =>
  commitments.some((other) => other.slug !== first.slug && other.quotes.includes(quote)),
)!;
const second = commitments.find((c) => c.slug !== first.slug && c.quotes.includes(sharedQuote))!;

test('an editor corrects a source two commitments cite, and readers see it flagged on both', async ({ page, browser }) => {
  expect(sharedQuote, 'the seed shares a source between two commitments').toBeTruthy();

  const editor = await (await browser.newContext()).newPage();
  await editor.goto('/login');
  await editor.getByLabel('User name').fill('e2e-bob');
  await editor.getByLabel('Password').fill(EDITOR_PASSWORD);
  await editor.getByRole('button', { name: 'Sign in' }).click();
  await expect(editor.getByText('Signed in as e2e-bob')).toBeVisible();

  await editor.goto(`/commitments/${first.slug}`);
  const source = editor.getByRole('listitem').filter({ has: editor.locator('blockquote', { hasText: sharedQuote }) });
  await source.getByText('Correct or remove this source').click();
  const title = source.getByLabel('Title', { exact: true });
  const oldTitle = await title.inputValue();
  const newTitle = `${oldTitle} (corrected in a browser test)`;
  await title.fill(newTitle);
  // Without a note the correction is refused next to the note's field.
  await source.getByRole('button', { name: 'Save correction' }).click();
  await expect(editor.getByText('Say what was wrong: readers see this note beside the correction.')).toBeVisible();
  await source.getByLabel(/^What was wrong/).fill('The title described the wrong passage.');
  await source.getByRole('button', { name: 'Save correction' }).click();
  await expect(source.locator('.source-citation')).toContainText(newTitle);
  await editor.context().close();

  // A reader, on each commitment citing the source.
  for (const commitment of [first, second]) {
    await page.goto(`/commitments/${commitment.slug}`);
    const entry = page.locator('li.source').filter({ has: page.locator('blockquote', { hasText: sharedQuote }) });
    await expect(entry.locator('.source-citation')).toContainText(newTitle);
    await entry.getByText(/^Corrected on/).click();
    await expect(entry.getByText('The title described the wrong passage.')).toBeVisible();
    await expect(entry.locator('del', { hasText: oldTitle })).toBeVisible();
    await expect(entry.locator('ins', { hasText: newTitle })).toBeVisible();

    // The status change that relied on the source as it read before is flagged.
    const flagged = page.locator('li.timeline-entry').filter({ hasText: 'This source was corrected on' });
    await expect(flagged.first()).toBeVisible();
    await expect(flagged.first()).toContainText('(version 1)');
  }

  // Listed on the corrections page, linked from the footer.
  await page.getByRole('contentinfo').getByRole('link', { name: 'Corrections' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Corrections' })).toBeVisible();
  const listed = page.locator('li.correction').filter({ hasText: 'The title described the wrong passage.' });
  await expect(listed).toBeVisible();
  await expect(listed.getByRole('link', { name: first.title })).toBeVisible();
  await expect(listed.getByRole('link', { name: second.title })).toBeVisible();
});
