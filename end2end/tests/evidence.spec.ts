import { OTHER_EDITOR, editorPage, expect, sourceEntry, test, timelineEntries } from './fixtures';
import { commitments } from './seed';

// A source the seed lists under two commitments, both of whose seeded status
// changes cite it: correcting it is a correction on both, and flags those
// status changes.
const shared = (() => {
  for (const first of commitments) {
    for (const quote of first.citedQuotes) {
      const second = commitments.find((other) => other !== first && other.citedQuotes.includes(quote));
      if (second) return { first, second, quote };
    }
  }
  return undefined;
})();

const newQuote = 'Both sides agreed to make travel between the two countries easier (the passage as published).';
const note = 'The quote was taken from the wrong paragraph.';

test('an editor corrects a source two commitments cite, and readers see the correction on both', async ({ page, browser }) => {
  expect(shared, 'the seed shares a cited source between two commitments').toBeTruthy();
  const { first, second, quote: oldQuote } = shared!;

  const editor = await editorPage(browser, OTHER_EDITOR);
  await editor.goto(`/commitments/${first.slug}`);
  const source = sourceEntry(editor, oldQuote);
  await source.getByText('Correct or remove this source').click();
  const title = source.getByLabel('Title', { exact: true });
  const oldTitle = await title.inputValue();
  const newTitle = `${oldTitle} (corrected in a browser test)`;
  await title.fill(newTitle);
  await source.getByLabel('Exact quote').fill(newQuote);
  // Without a note the correction is refused next to the note's field, and
  // what was typed stays in the form.
  await source.getByRole('button', { name: 'Save correction' }).click();
  const refused = sourceEntry(editor, oldQuote);
  await expect(refused.getByText('Say what was wrong: readers see this note beside the correction.')).toBeVisible();
  await expect(refused.getByLabel('Title', { exact: true })).toHaveValue(newTitle);
  await expect(refused.getByLabel('Exact quote')).toHaveValue(newQuote);
  await refused.getByLabel(/^What was wrong/).fill(note);
  await refused.getByRole('button', { name: 'Save correction' }).click();
  await expect(sourceEntry(editor, newQuote)).toBeVisible();
  await editor.context().close();

  // A reader, on each commitment citing the source.
  for (const commitment of [first, second]) {
    await page.goto(`/commitments/${commitment.slug}`);
    const sources = page.getByRole('region', { name: /^Sources/ });
    const entry = sourceEntry(page, newQuote);
    await expect(entry.getByRole('blockquote')).toHaveText(newQuote);
    await expect(sources.getByRole('blockquote').filter({ hasText: oldQuote })).toHaveCount(0);
    await expect(entry.getByRole('paragraph').filter({ hasText: newTitle })).toBeVisible();

    const corrected = entry.getByText(/^Corrected on \d{1,2} [A-Z][a-z]+ \d{4} \(now version 2\)$/);
    await expect(corrected).toBeVisible();
    await expect(entry.getByText(note)).toBeHidden();
    await corrected.click();
    await expect(entry.getByText(new RegExp(`^Version 2, .* by ${OTHER_EDITOR}:`))).toBeVisible();
    await expect(entry.getByText(note)).toBeVisible();
    // The earlier words struck through, the new ones after them.
    await expect(entry.getByRole('deletion').filter({ hasText: oldQuote })).toBeVisible();
    await expect(entry.getByRole('insertion').filter({ hasText: newQuote })).toBeVisible();
    await expect(entry.getByRole('deletion').filter({ hasText: oldTitle })).toBeVisible();
    await expect(entry.getByRole('insertion').filter({ hasText: newTitle })).toBeVisible();

    // The status changes that relied on the source as it read before are flagged.
    const flagged = timelineEntries(page).filter({ hasText: 'This source was corrected on' });
    await expect(flagged.first()).toBeVisible();
    await expect(flagged.first()).toContainText('(version 1)');
  }

  // Listed on the corrections page, linked from the footer.
  await page.getByRole('contentinfo').getByRole('link', { name: 'Corrections' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Corrections' })).toBeVisible();
  const listed = page.getByRole('listitem').filter({ hasText: note });
  await expect(listed).toBeVisible();
  await expect(listed.getByRole('link', { name: first.title })).toBeVisible();
  await expect(listed.getByRole('link', { name: second.title })).toBeVisible();
});

test('a source is corrected without JavaScript too', async ({ page, browser }) => {
  // A commitment sharing no source with the other test's pair.
  const commitment = commitments.find(
    (c) => shared && !c.quotes.some((quote) => shared.first.quotes.includes(quote) || shared.second.quotes.includes(quote)),
  )!;
  const oldQuote = commitment.quotes[0];
  const correctedQuote = 'The passage as the outlet’s correction words it (no-JS test).';

  const editor = await editorPage(browser, OTHER_EDITOR, false);
  await editor.goto(`/commitments/${commitment.slug}`);
  const source = sourceEntry(editor, oldQuote);
  await source.getByText('Correct or remove this source').click();
  await source.getByLabel('Exact quote').fill(correctedQuote);
  await source.getByLabel(/^What was wrong/).fill('The outlet corrected its article (no-JS test).');
  await source.getByRole('button', { name: 'Save correction' }).click();
  await expect(editor).toHaveURL(new RegExp(`/commitments/${commitment.slug}#sources-heading$`));
  const entry = sourceEntry(editor, correctedQuote);
  await expect(entry.getByRole('blockquote')).toHaveText(correctedQuote);
  await entry.getByText(/^Corrected on .* \(now version 2\)$/).click();
  await expect(entry.getByText('The outlet corrected its article (no-JS test).')).toBeVisible();
  await expect(entry.getByRole('deletion')).toHaveText(oldQuote);
  await expect(entry.getByRole('insertion')).toHaveText(correctedQuote);
  await editor.context().close();
});
