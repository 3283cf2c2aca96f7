import type { Page } from '@playwright/test';
import { EDITOR, editorPage, expect, statusPanel, test, timelineEntries } from './fixtures';
import { commitments } from './seed';

const [accepted, rejected] = commitments.filter((c) => c.ownedBy.length === 2);

/** A reader fills in "Suggest an update" on the open commitment page. */
async function suggest(page: Page, suggestion: { status: string; on: string; note: string; quote: string }) {
  const form = page.getByRole('region', { name: 'Suggest an update' });
  await form.getByLabel('Both parties').check();
  await form.getByLabel('Suggested status').selectOption({ label: suggestion.status });
  await form.getByLabel('Date it happened').fill(suggestion.on);
  await form.getByLabel('What happened').fill(suggestion.note);
  await form.getByLabel('Publisher').fill('Reader Wire');
  await form.getByLabel('Title', { exact: true }).fill('Working group meets');
  await form.getByLabel('Date published').fill(suggestion.on);
  await form.getByLabel('Exact quote').fill(suggestion.quote);
  await form.getByRole('button', { name: 'Send suggestion' }).click();
  await expect(form.getByRole('status')).toHaveText('Thank you. Your suggestion is waiting for an editor.');
}

/** A suggestion waiting on the review page, found by what the reader wrote. */
function waiting(page: Page, note: string) {
  return page.getByRole('listitem').filter({ hasText: note });
}

test('a reader suggests an update and an editor accepts it', async ({ page, browser }) => {
  const note = 'A joint working group met (reader suggestion test).';
  await page.goto(`/commitments/${accepted.slug}`);
  await suggest(page, { status: 'In progress', on: '2026-07-01', note, quote: 'The working group met for the first time.' });
  // Nothing changes before an editor decides.
  await page.goto(`/commitments/${accepted.slug}`);
  await expect(timelineEntries(page)).toHaveCount(accepted.ownedBy.length);

  const editor = await editorPage(browser);
  await editor.getByRole('link', { name: 'Review suggestions' }).click();
  await expect(editor.getByRole('heading', { level: 1, name: 'Suggestions to review' })).toBeVisible();
  const item = waiting(editor, note);
  await expect(item.getByRole('link', { name: accepted.title })).toBeVisible();
  await expect(item).toContainText('Both parties: In progress');
  await item.getByRole('button', { name: 'Accept as a status change' }).click();
  await expect(editor.getByRole('heading', { level: 1, name: 'Suggestions to review' })).toBeVisible();
  await expect(waiting(editor, note)).toHaveCount(0);
  await editor.goto(`/commitments/${accepted.slug}`);
  const published = timelineEntries(editor).filter({ hasText: note });
  await expect(published).toHaveCount(2);
  await expect(published.first()).toContainText(`Suggested by a reader, accepted by ${EDITOR}`);
  await expect(statusPanel(editor)).toContainText(/China\s*In progress/);
  await editor.context().close();
});

test('an editor rejects a suggestion with a reason; it leaves the queue and changes nothing', async ({ browser }) => {
  const note = 'Both governments declared the matter settled (suggestion to reject).';
  // This reader has no JavaScript: the form is a plain form post.
  const reader = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await reader.goto(`/commitments/${rejected.slug}`);
  const statusesBefore = await statusPanel(reader).innerText();
  await suggest(reader, { status: 'Fulfilled', on: '2026-08-01', note, quote: 'The matter is settled, a spokesman said.' });

  const editor = await editorPage(browser);
  await editor.goto('/review');
  const item = waiting(editor, note);
  await expect(item.getByRole('link', { name: rejected.title })).toBeVisible();
  await expect(item).toContainText('Both parties: Fulfilled');
  // A rejection needs a reason.
  await item.getByRole('button', { name: 'Reject' }).click();
  await expect(editor.getByRole('alert')).toContainText('Give the reason for rejecting');
  await expect(waiting(editor, note)).toBeVisible();
  await waiting(editor, note).getByLabel('Reason for rejecting').fill('The quoted source does not say this.');
  await waiting(editor, note).getByRole('button', { name: 'Reject' }).click();
  await expect(editor.getByRole('heading', { level: 1, name: 'Suggestions to review' })).toBeVisible();
  await expect(waiting(editor, note)).toHaveCount(0);
  // Gone for good, not just from this render.
  await editor.reload();
  await expect(waiting(editor, note)).toHaveCount(0);
  await editor.context().close();

  await reader.goto(`/commitments/${rejected.slug}`);
  await expect(timelineEntries(reader).filter({ hasText: note })).toHaveCount(0);
  await expect(timelineEntries(reader)).toHaveCount(rejected.ownedBy.length);
  expect(await statusPanel(reader).innerText()).toBe(statusesBefore);
  await reader.context().close();
});
