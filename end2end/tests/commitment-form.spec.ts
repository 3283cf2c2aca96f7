import {
  type NewCommitment,
  card,
  createCommitment,
  editorPage,
  expect,
  fillCommitmentForm,
  statusPanel,
  test,
} from './fixtures';

const commitment: NewCommitment = {
  title: 'Open a hotline between the two coast guards (created in a browser test)',
  summary: 'Both sides said their coast guards would set up a direct line for emergencies at sea.',
  theme: 'Public safety',
  proposedBy: 'South Korea',
  owedBy: ['China', 'South Korea'],
  dueOn: '2027-06-30',
  dueNote: 'Stated in the joint press release.',
};

test('an editor creates a commitment with the form; it gets a permalink and is listed', async ({ browser, page }) => {
  const editor = await editorPage(browser);
  const path = await createCommitment(editor, commitment);
  const article = editor.getByRole('article', { name: commitment.title });
  await expect(article.getByText(commitment.summary)).toBeVisible();
  await expect(article).toContainText(/Proposed by\s*South Korea/);
  await expect(article).toContainText(/Due\s*30 June 2027/);
  await expect(article).toContainText('Stated in the joint press release.');
  await expect(statusPanel(editor)).toContainText(/China\s*Not yet rated/);
  await expect(statusPanel(editor)).toContainText(/South Korea\s*Not yet rated/);
  await editor.context().close();

  // Readers find it in the list, and its link leads to the permalink.
  await page.goto('/');
  const listed = card(page, commitment.title);
  await expect(listed).toContainText('Public safety');
  await expect(listed).toContainText('Overall: Not yet rated');
  await listed.getByRole('link', { name: commitment.title }).click();
  await expect(page).toHaveURL(path);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(commitment.title);
});

test('a refused commitment shows the message by the field, keeps what was typed, and saves once corrected', async ({
  browser,
  page,
}) => {
  for (const javaScriptEnabled of [true, false]) {
    const title = `Exchange weather data every day (${javaScriptEnabled ? 'with' : 'without'} JavaScript)`;
    const editor = await editorPage(browser, undefined, javaScriptEnabled);
    await editor.goto('/editor/new-commitment');
    await fillCommitmentForm(editor, { ...commitment, title: '', theme: 'Trade and economy', proposedBy: 'Both sides jointly' });
    await editor.getByRole('button', { name: 'Save commitment' }).click();

    await expect(editor.getByRole('alert')).toHaveText('Nothing was saved. Please correct the fields marked below.');
    const message = editor.getByText('This field is required.');
    await expect(message).toHaveCount(1);
    // The message sits right under the title's field, before the next field.
    const titleField = editor.getByLabel(/^Title:/);
    const [field, shown, next] = await Promise.all([
      titleField.boundingBox(),
      message.boundingBox(),
      editor.getByText(/^Summary:/).boundingBox(),
    ]);
    expect(shown!.y).toBeGreaterThanOrEqual(field!.y + field!.height - 1);
    expect(shown!.y + shown!.height).toBeLessThanOrEqual(next!.y + 1);

    await expect(titleField).toHaveValue('');
    await expect(editor.getByLabel(/^Summary:/)).toHaveValue(commitment.summary);
    await expect(editor.getByLabel('Theme')).toHaveValue('economy');
    await expect(editor.getByRole('group', { name: 'Proposed by' }).getByLabel('Both sides jointly')).toBeChecked();
    const owedBy = editor.getByRole('group', { name: 'Owed by' });
    await expect(owedBy.getByLabel('China', { exact: true })).toBeChecked();
    await expect(owedBy.getByLabel('South Korea', { exact: true })).toBeChecked();
    await expect(editor.getByLabel('Due date (optional)')).toHaveValue('2027-06-30');
    await expect(editor.getByLabel('Stated in a source')).toBeChecked();
    await expect(editor.getByLabel(/^Where the due date comes from/)).toHaveValue('Stated in the joint press release.');

    await titleField.fill(title);
    await editor.getByRole('button', { name: 'Save commitment' }).click();
    await expect(editor.getByRole('heading', { level: 1 })).toHaveText(title);
    await expect(editor).toHaveURL(/\/commitments\/exchange-weather-data-every-day-[a-z-]+$/);
    await editor.context().close();

    await page.goto('/');
    await expect(card(page, title)).toContainText('Trade and economy');
  }
});
