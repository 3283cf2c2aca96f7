import {
  EDITOR,
  OTHER_EDITOR,
  card,
  editorPage,
  expect,
  recordStatusChange,
  sourceEntry,
  statusPanel,
  test,
  timelineEntries,
} from './fixtures';
import { commitments } from './seed';

// Each test edits a commitment of its own, so the tests of this file do not
// depend on each other's order either.
const [withJs, withoutJs, refused, contested, readOnly] = commitments.filter((c) => c.ownedBy.length === 2);

test('readers see no editing controls; editors do', async ({ page, browser }) => {
  await page.goto(`/commitments/${readOnly.slug}`);
  await expect(page.getByRole('link', { name: 'Editor sign-in' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Suggest an update' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Update status' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Add a source' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Edit this commitment' })).toHaveCount(0);
  await expect(page.getByText('Correct or remove this source')).toHaveCount(0);

  const editor = await editorPage(browser);
  await editor.goto(`/commitments/${readOnly.slug}`);
  await expect(editor.getByRole('region', { name: 'Update status' })).toBeVisible();
  await expect(editor.getByRole('region', { name: 'Add a source' })).toBeVisible();
  await expect(editor.getByRole('link', { name: 'Edit this commitment' })).toBeVisible();
  await expect(editor.getByText('Correct or remove this source').first()).toBeVisible();
  await expect(editor.getByRole('region', { name: 'Suggest an update' })).toHaveCount(0);
  await editor.context().close();
});

test('an editor changes a status with a new source and sees it on the timeline and the list', async ({ browser }) => {
  const page = await editorPage(browser);
  await page.goto(`/commitments/${withJs.slug}`);
  const form = page.getByRole('region', { name: 'Update status' });
  await form.getByLabel(/^South Korea/).check();
  await form.getByLabel('New status').selectOption({ label: 'In progress' });
  await form.getByLabel('Date it took effect').fill('2026-03-01');
  await form.getByLabel(/^Note/).fill('Working-level talks began in Seoul (browser test).');
  await form.getByLabel('Publisher').fill('Test Wire');
  await form.getByLabel('Title', { exact: true }).fill('Talks begin');
  await form.getByLabel('Date published').fill('2026-03-01');
  await form.getByLabel('Web address (optional)').fill('https://example.org/talks');
  await form.getByLabel('Exact quote').fill('Working-level talks began on Sunday.');
  await form.getByRole('button', { name: 'Save status change' }).click();

  const newest = timelineEntries(page).first();
  await expect(newest).toContainText('Working-level talks began in Seoul (browser test).');
  await expect(newest).toContainText(`Recorded by ${EDITOR}`);
  await expect(newest).toContainText('Test Wire');
  await expect(sourceEntry(page, 'Working-level talks began on Sunday.')).toBeVisible();
  await expect(statusPanel(page)).toContainText(/South Korea\s*In progress/);

  await page.goto('/');
  await expect(card(page, withJs.title)).toContainText(/South Korea\s*In progress/);
  await page.context().close();
});

test('editing works without JavaScript', async ({ browser }) => {
  const page = await editorPage(browser, OTHER_EDITOR, false);
  await page.goto(`/commitments/${withoutJs.slug}`);
  await recordStatusChange(page, {
    party: 'Both parties',
    status: 'Stalled',
    on: '2026-04-01',
    note: 'Both sides postponed the follow-up meeting (no-JS test).',
  });
  await expect(page).toHaveURL(new RegExp(`/commitments/${withoutJs.slug}#update-\\d+$`));
  const entries = timelineEntries(page).filter({ hasText: 'Both sides postponed the follow-up meeting (no-JS test).' });
  await expect(entries).toHaveCount(2);
  await expect(entries.first()).toContainText(`Recorded by ${OTHER_EDITOR}`);
  await page.context().close();
});

test('bad input is shown next to the fields, with the input kept', async ({ browser }) => {
  for (const javaScriptEnabled of [true, false]) {
    const page = await editorPage(browser, EDITOR, javaScriptEnabled);
    await page.goto(`/commitments/${refused.slug}`);
    const form = page.getByRole('region', { name: 'Update status' });
    await form.getByLabel(/^China/).check();
    await form.getByLabel('New status').selectOption({ label: 'Fulfilled' });
    await form.getByLabel('Date it took effect').fill('2026-05-01');
    await form.getByLabel(/^Note/).fill('A note that must survive <b>the refusal</b>.');
    await form.getByLabel('Web address (optional)').fill('javascript:alert(1)');
    await form.getByRole('button', { name: 'Save status change' }).click();
    await expect(form.getByRole('alert')).toHaveText('The status change was not saved. Please correct the fields marked below.');
    await expect(form.getByText('Only http:// and https:// web addresses are accepted.')).toBeVisible();
    await expect(form.getByText('This field is required.').first()).toBeVisible();
    await expect(form.getByLabel(/^Note/)).toHaveValue('A note that must survive <b>the refusal</b>.');
    await expect(form.getByLabel('New status')).toHaveValue('fulfilled');
    await expect(form.getByLabel(/^China/)).toBeChecked();
    await expect(form.getByLabel('Web address (optional)')).toHaveValue('javascript:alert(1)');
    await page.context().close();
  }
  // Nothing was recorded.
  const reader = await (await browser.newContext()).newPage();
  await reader.goto(`/commitments/${refused.slug}`);
  await expect(timelineEntries(reader)).toHaveCount(refused.ownedBy.length);
  await reader.context().close();
});

test('two editors on one commitment: the second is told, and keeps their input', async ({ browser }) => {
  const alice = await editorPage(browser, EDITOR);
  const bob = await editorPage(browser, OTHER_EDITOR);
  for (const page of [alice, bob]) await page.goto(`/commitments/${contested.slug}`);

  const change = { party: 'China', on: '2026-06-01' };
  await recordStatusChange(alice, { ...change, status: 'In progress', note: 'Alice saw progress.' });
  await expect(timelineEntries(alice).filter({ hasText: 'Alice saw progress.' })).toBeVisible();
  await recordStatusChange(bob, { ...change, status: 'Fulfilled', note: 'Bob thinks it is done.' });
  await expect(bob.getByRole('alert')).toContainText(`${EDITOR} changed this commitment`);
  await expect(bob.getByRole('alert')).toContainText(/China: [A-Za-z ]+ → In progress/);
  await expect(bob.getByLabel(/^Note/)).toHaveValue('Bob thinks it is done.');
  await expect(timelineEntries(bob).filter({ hasText: 'Alice saw progress.' })).toBeVisible();
  await expect(timelineEntries(bob).filter({ hasText: 'Bob thinks it is done.' })).toHaveCount(0);
  await alice.context().close();
  await bob.context().close();
});
