import type { Page } from '@playwright/test';
import { EDITOR, editorPage, expect, recordStatusChange, statusPanel, test, timelineEntries } from './fixtures';
import { commitments } from './seed';

const [statusAndSummary, title] = commitments.filter((c) => c.ownedBy.length === 2);

/** One version on a commitment's History page. */
function version(page: Page, n: number) {
  return page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2, name: `Version ${n}`, exact: true }) });
}

test('an editor sees each change on the History page and reverts to earlier versions', async ({ browser }) => {
  const commitment = statusAndSummary;
  const page = await editorPage(browser);
  await page.goto(`/commitments/${commitment.slug}`);
  await expect(statusPanel(page)).toContainText(/China\s*Not yet rated/);
  await expect(statusPanel(page)).toContainText(/South Korea\s*Not yet rated/);

  // Version 2: both parties' statuses change.
  await recordStatusChange(page, {
    party: 'Both parties',
    status: 'In progress',
    on: '2026-02-01',
    note: 'A joint task force met (history test).',
  });
  await expect(statusPanel(page)).toContainText(/China\s*In progress/);

  // Version 3: the summary is reworded through the edit form.
  const newSummary = 'Both sides agreed to keep talking (summary edited in a browser test).';
  await page.getByRole('link', { name: 'Edit this commitment' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Edit: ${commitment.title}`);
  await expect(page.getByLabel(/^Summary:/)).toHaveValue(commitment.summary);
  await page.getByLabel(/^Summary:/).fill(newSummary);
  await page.getByRole('button', { name: 'Save commitment' }).click();
  await expect(page).toHaveURL(`/commitments/${commitment.slug}`);
  const article = page.getByRole('article', { name: commitment.title });
  await expect(article.getByText(newSummary)).toBeVisible();

  // The History page lists every version, newest first, with what changed,
  // naming the parties rather than their codes.
  await page.getByRole('link', { name: 'see every edit to this commitment.' }).click();
  await expect(page).toHaveURL(`/commitments/${commitment.slug}/history`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('History of changes');
  await expect(page.getByRole('heading', { level: 2 })).toHaveText(['Version 3', 'Version 2', 'Version 1']);
  await expect(version(page, 3)).toContainText(EDITOR);
  await expect(version(page, 3)).toContainText(`Summary: “${commitment.summary}” → “${newSummary}”`);
  await expect(version(page, 2)).toContainText('Status of China: Not yet rated → In progress');
  await expect(version(page, 2)).toContainText('Status of South Korea: Not yet rated → In progress');
  await expect(version(page, 2)).not.toContainText(/Status of (cn|kr)\b/);
  await expect(version(page, 1)).toContainText("The commitment as first loaded from the summit's data.");
  // The current version cannot be "reverted to".
  await expect(version(page, 2).getByRole('button', { name: 'Revert to version 2' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Revert to version 3' })).toHaveCount(0);

  // Undo the summary edit: version 4 is version 2 again.
  await version(page, 2).getByRole('button', { name: 'Revert to version 2' }).click();
  await expect(page.getByRole('heading', { level: 2 }).first()).toHaveText('Version 4');
  await expect(version(page, 4)).toContainText('Reverted to version 2.');
  await expect(version(page, 4)).toContainText(`Summary: “${newSummary}” → “${commitment.summary}”`);
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: commitment.title }).click();
  await expect(article.getByText(commitment.summary)).toBeVisible();
  await expect(article.getByText(newSummary)).toHaveCount(0);
  await expect(statusPanel(page)).toContainText(/China\s*In progress/);

  // Back to the summit's data: version 5 is version 1 again, statuses too.
  await page.goto(`/commitments/${commitment.slug}/history`);
  await version(page, 1).getByRole('button', { name: 'Revert to version 1' }).click();
  await expect(version(page, 5)).toContainText('Reverted to version 1.');
  await expect(version(page, 5)).toContainText('Status of China: In progress → Not yet rated');
  await expect(version(page, 5)).toContainText('Status of South Korea: In progress → Not yet rated');
  await page.goto(`/commitments/${commitment.slug}`);
  await expect(statusPanel(page)).toContainText(/China\s*Not yet rated/);
  await expect(statusPanel(page)).toContainText(/South Korea\s*Not yet rated/);
  await expect(article.getByText(commitment.summary)).toBeVisible();
  // The revert is itself on the record: nothing was erased.
  await expect(timelineEntries(page).first()).toContainText('Reverted to version 1: restores the status recorded then');
  await expect(timelineEntries(page).filter({ hasText: 'A joint task force met (history test).' })).toHaveCount(2);
  await page.context().close();
});

test('history and revert work without JavaScript, and readers see the history too', async ({ browser, page }) => {
  const commitment = title;
  const newTitle = `${commitment.title} (retitled in a no-JS test)`;
  const editor = await editorPage(browser, EDITOR, false);
  await editor.goto(`/commitments/${commitment.slug}/edit`);
  await editor.getByLabel(/^Title:/).fill(newTitle);
  await editor.getByRole('button', { name: 'Save commitment' }).click();
  await expect(editor).toHaveURL(`/commitments/${commitment.slug}`);
  await expect(editor.getByRole('heading', { level: 1 })).toHaveText(newTitle);

  await editor.goto(`/commitments/${commitment.slug}/history`);
  await expect(version(editor, 2)).toContainText(`Title: “${commitment.title}” → “${newTitle}”`);
  await version(editor, 1).getByRole('button', { name: 'Revert to version 1' }).click();
  await expect(editor).toHaveURL(`/commitments/${commitment.slug}/history`);
  await expect(version(editor, 3)).toContainText(`Title: “${newTitle}” → “${commitment.title}”`);
  await editor.context().close();

  // A reader sees the same history, without the buttons, and the old title back.
  await page.goto(`/commitments/${commitment.slug}/history`);
  await expect(page.getByRole('heading', { level: 2 })).toHaveText(['Version 3', 'Version 2', 'Version 1']);
  await expect(version(page, 3)).toContainText('Reverted to version 1.');
  await expect(page.getByRole('button', { name: /^Revert to version/ })).toHaveCount(0);
  await page.goto(`/commitments/${commitment.slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(commitment.title);
});
