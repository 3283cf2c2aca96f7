import { type NewCommitment, card, commitmentList, createCommitment, editorPage, expect, test } from './fixtures';

// Made here rather than taken from the seed, so that what is overdue does
// not depend on the day the suite runs: one due shortly after the summit of
// 1 November 2025 (past whenever the suite runs), one due far ahead.
const late: NewCommitment = {
  title: 'Publish the joint fisheries survey (overdue in a browser test)',
  summary: 'The two sides said they would publish a joint survey of fish stocks within two weeks.',
  theme: 'Trade and economy',
  proposedBy: 'China',
  owedBy: ['China', 'South Korea'],
  dueOn: '2025-11-15',
  dueNote: 'Stated in the summit’s press release: within two weeks.',
};
const notYetDue: NewCommitment = {
  ...late,
  title: 'Plant a friendship forest (due in 2099, a browser test)',
  summary: 'Both sides said they would plant a forest together.',
  dueOn: '2099-12-31',
  dueNote: 'Inferred from the press release.',
};

const overdueFlag = /^Overdue: due /;

test('a commitment past its due date is overdue on its page and in the list’s overdue filter', async ({ browser, page }) => {
  const editor = await editorPage(browser);
  const latePath = await createCommitment(editor, late);
  await expect(editor.getByText('Overdue: due 15 November 2025', { exact: true })).toBeVisible();
  await expect(editor.getByText(/^\d+ days? past the due date$/)).toBeVisible();
  const futurePath = await createCommitment(editor, notYetDue);
  await expect(editor.getByText(/^\d+ days left \(\d+% of the time elapsed\)$/)).toBeVisible();
  await expect(editor.getByText(overdueFlag)).toHaveCount(0);
  await editor.context().close();

  for (const javaScriptEnabled of [true, false]) {
    const reader = await (await browser.newContext({ javaScriptEnabled })).newPage();
    await reader.goto(latePath);
    await expect(reader.getByRole('heading', { level: 1 })).toHaveText(late.title);
    await expect(reader.getByText('Overdue: due 15 November 2025', { exact: true })).toBeVisible();
    await reader.goto(futurePath);
    await expect(reader.getByRole('heading', { level: 1 })).toHaveText(notYetDue.title);
    await expect(reader.getByText(overdueFlag)).toHaveCount(0);

    // The whole list flags the one and not the other.
    await reader.goto('/');
    await expect(card(reader, late.title).getByText(overdueFlag)).toBeVisible();
    await expect(card(reader, notYetDue.title)).toBeVisible();
    await expect(card(reader, notYetDue.title).getByText(overdueFlag)).toHaveCount(0);

    // "Only overdue" keeps the one past its date.
    const filters = reader.getByRole('search', { name: 'Filter and search commitments' });
    await filters.getByLabel('Only overdue').check();
    await filters.getByRole('button', { name: 'Apply' }).click();
    await expect(reader).toHaveURL(/[?&]overdue=1/);
    await expect(commitmentList(reader)).toHaveAccessibleName(/^Overdue commitments \(\d+\)$/);
    await expect(card(reader, late.title)).toBeVisible();
    await expect(card(reader, notYetDue.title)).toHaveCount(0);
    // Everything listed is flagged.
    const listed = commitmentList(reader).getByRole('article');
    const count = await listed.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) await expect(listed.nth(i).getByText(overdueFlag)).toBeVisible();
    await reader.context().close();
  }
  // Opening the filtered view's link directly gives the same view.
  await page.goto('/?overdue=1');
  await expect(card(page, late.title)).toBeVisible();
  await expect(card(page, notYetDue.title)).toHaveCount(0);
});
