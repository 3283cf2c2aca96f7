import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { editorPage, exactly, expect, STATUS_LABELS, test } from './fixtures';
import { commitments, summitSlug } from './seed';

// The site follows the reader's light or dark preference; every text pair
// must meet WCAG AA in both (axe's color-contrast rule, which runs with the
// rest), and paper stays black on white whatever the screen's scheme.

type Scheme = 'light' | 'dark';
const SCHEMES: Scheme[] = ['light', 'dark'];

const PAGES = [
  '/',
  '/?theme=security&sort=title',
  '/?status=nonsense',
  `/commitments/${commitments[0].slug}`,
  `/summits/${summitSlug}`,
  '/summits',
  '/methodology',
  '/login',
  '/ko/',
  `/zh/commitments/${commitments[0].slug}`,
];

/** [r, g, b] of a computed `rgb(…)`/`rgba(…)` colour. */
function channels(colour: string): number[] {
  const match = colour.match(/rgba?\(([^)]+)\)/);
  if (!match) throw new Error(`not an rgb() colour: ${colour}`);
  return match[1].split(/[ ,/]+/).slice(0, 3).map(Number);
}

/** WCAG relative luminance of a computed colour. */
function luminance(colour: string): number {
  const [r, g, b] = channels(colour).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

async function computed(page: Page, selector: string): Promise<{ color: string; background: string }> {
  return page.locator(selector).first().evaluate((element) => {
    const style = getComputedStyle(element);
    return { color: style.color, background: style.backgroundColor };
  });
}

async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  // The contrast rule must actually have run (and looked at text).
  const contrastRule = [...results.passes, ...results.violations, ...results.incomplete].find(
    (r) => r.id === 'color-contrast',
  );
  expect(contrastRule, 'axe ran its color-contrast rule').toBeDefined();
  return results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join(', ')}`,
  );
}

for (const scheme of SCHEMES) {
  test.describe(`${scheme} scheme`, () => {
    test.use({ colorScheme: scheme });

    for (const path of PAGES) {
      test(`axe (contrast included) finds nothing on ${path}`, async ({ page }) => {
        await page.goto(path);
        await expect(page.getByRole('main')).toBeVisible();
        // The page really is in the scheme asked for: dark paper and light
        // ink in dark, the reverse in light.
        const body = await computed(page, 'body');
        if (scheme === 'dark') {
          expect(luminance(body.background)).toBeLessThan(0.05);
          expect(luminance(body.color)).toBeGreaterThan(0.6);
        } else {
          expect(luminance(body.background)).toBeGreaterThan(0.9);
          expect(luminance(body.color)).toBeLessThan(0.05);
        }
        expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toContain(scheme);
        expect(await axeViolations(page)).toEqual([]);
      });
    }

    test('an editor’s forms pass axe too', async ({ browser }) => {
      const editor = await editorPage(browser);
      await editor.emulateMedia({ colorScheme: scheme });
      await editor.goto(`/commitments/${commitments[0].slug}`);
      await expect(editor.getByRole('region', { name: 'Update status' })).toBeVisible();
      expect(luminance((await computed(editor, 'body')).background) < 0.05).toBe(scheme === 'dark');
      expect(await axeViolations(editor)).toEqual([]);
      await editor.context().close();
    });

    test('the six status badges differ from one another and are legible', async ({ page }) => {
      await page.goto('/');
      const scoreboard = page.getByRole('region', { name: 'Scoreboard' });
      const badges: { label: string; color: string; background: string; border: string }[] = [];
      for (const label of STATUS_LABELS) {
        const badge = scoreboard.locator('.badge').filter({ hasText: exactly(label) }).first();
        // The status is in words, not colour alone.
        await expect(badge).toHaveText(label);
        badges.push({
          label,
          ...(await badge.evaluate((element) => {
            const style = getComputedStyle(element);
            return { color: style.color, background: style.backgroundColor, border: style.borderTopColor };
          })),
        });
      }
      for (const badge of badges) {
        expect(contrast(badge.color, badge.background), `${badge.label} text on its badge`).toBeGreaterThanOrEqual(4.5);
        // The badge sits on the card's background; so should read as dark
        // in dark mode.
        expect(luminance(badge.background) < 0.1, `${badge.label} background in ${scheme}`).toBe(scheme === 'dark');
      }
      for (let i = 0; i < badges.length; i++) {
        for (let j = i + 1; j < badges.length; j++) {
          const [a, b] = [badges[i], badges[j]];
          expect(a.background, `${a.label} vs ${b.label} background`).not.toBe(b.background);
          expect(a.color, `${a.label} vs ${b.label} text`).not.toBe(b.color);
          expect(a.border, `${a.label} vs ${b.label} border`).not.toBe(b.border);
        }
      }
    });
  });
}

test.describe('print', () => {
  test.use({ colorScheme: 'dark' });

  for (const path of ['/', `/commitments/${commitments[0].slug}`, '/methodology']) {
    test(`${path} prints black on white from a dark screen`, async ({ page }) => {
      await page.goto(path);
      // On screen it is dark…
      expect(luminance((await computed(page, 'body')).background)).toBeLessThan(0.05);
      await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
      // …on paper every text is black and every box white.
      const colours = await page.evaluate(() => {
        const seen: { what: string; color: string; background: string }[] = [];
        for (const element of document.querySelectorAll('body, body *')) {
          const style = getComputedStyle(element);
          if (style.display === 'none' || style.visibility === 'hidden') continue;
          if (element.closest('.badge, .swatch, svg, .visually-hidden, [hidden]')) continue;
          const ownText = [...element.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
          seen.push({
            what: `${element.tagName.toLowerCase()}.${element.className}`,
            color: ownText ? style.color : 'rgb(0, 0, 0)',
            background: style.backgroundColor,
          });
        }
        return seen;
      });
      expect(colours.length).toBeGreaterThan(20);
      const notBlack = colours.filter((c) => c.color !== 'rgb(0, 0, 0)').map((c) => `${c.what}: ${c.color}`);
      expect(notBlack).toEqual([]);
      const notWhite = colours
        .filter((c) => !['rgba(0, 0, 0, 0)', 'rgb(255, 255, 255)'].includes(c.background))
        .map((c) => `${c.what}: ${c.background}`);
      expect(notWhite).toEqual([]);
    });
  }

  test('badges print with their light tints and black words', async ({ page }) => {
    await page.goto('/');
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    const badge = page.getByRole('region', { name: 'Scoreboard' }).locator('.badge').first();
    const style = await badge.evaluate((element) => {
      const s = getComputedStyle(element);
      return { color: s.color, background: s.backgroundColor };
    });
    expect(style.color).toBe('rgb(0, 0, 0)');
    expect(luminance(style.background)).toBeGreaterThan(0.8);
  });
});
