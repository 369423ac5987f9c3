// What a learner sees before pressing Start on a host that cannot run kind (this one: cgroup v1, privileged
// containers refused): the catalog marks every kind lesson with the one-line reason, a link to the fix on /host and
// the by-hand lesson; the kind lesson's start card says the same. On a kind-capable host nothing is marked. Also:
// the kind sandbox card's node labels never overlap (1440 and 1024 px, screenshots kept), and a lesson page does not
// shift while its lab pane loads.
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { hostSupportSchema, type HostSupportView } from '../../lab-runner/wire/host-support.ts';

const KIND_LESSON = '/learn/pods/a-pods-plumbing-in-kind';

async function hostSupport(page: Page): Promise<HostSupportView> {
  const r = await page.request.get('/api/host');
  expect(r.status()).toBe(200);
  return hostSupportSchema.parse(await r.json());
}

test.describe.configure({ timeout: 120_000 });

test('the catalog marks kind lessons this host cannot run, with the reason, the fix and the by-hand lesson', async ({ page }) => {
  const view = await hostSupport(page);
  await page.goto('/');
  const rows = page.getByTestId('catalog-lesson');
  await expect(rows.first()).toBeVisible();
  // Which rows are kind lessons: their sandbox badge.
  const badges = await rows.locator('.badge-mono').allTextContents();
  const kindRows = badges.map((b, i) => (b.startsWith('kind') ? i : -1)).filter((i) => i >= 0);
  expect(kindRows.length).toBeGreaterThan(0);
  const notes = page.getByTestId('host-note');
  if (view.kind.status !== 'unavailable') {
    console.log(`this host can run kind (${view.kind.status}): no lesson may be marked for the whole runtime`);
    await page.waitForLoadState('networkidle');
    expect(await notes.count()).toBe(view.kind.status === 'ready' ? Object.keys(view.kind.lessons).length : 0);
    return;
  }
  const block = view.kind.block;
  console.log(`kind unavailable here: ${block.reason}`);
  await expect(notes).toHaveCount(kindRows.length);
  for (const i of kindRows) {
    const note = rows.nth(i).getByTestId('host-note');
    await expect(note).toContainText(`Not on this server: ${block.reason}.`);
    await expect(note.getByRole('link', { name: 'How to fix' })).toHaveAttribute(
      'href',
      `/host#${block.check
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')}`,
    );
  }
  // Bare-node lessons are not marked.
  for (let i = 0; i < badges.length; i++) if (!kindRows.includes(i)) await expect(rows.nth(i).getByTestId('host-note')).toHaveCount(0);
  // A kind lesson offers the by-hand lesson of its module.
  const plumbing = rows.filter({ hasText: "A pod's plumbing in a real cluster" }).getByTestId('host-note');
  await expect(plumbing.getByRole('link', { name: 'Pod to pod on one node' })).toHaveAttribute('href', '/learn/pods/pod-to-pod-on-one-node');

  // "How to fix" lands on the failed check, with its fix.
  await plumbing.getByRole('link', { name: 'How to fix' }).click();
  await expect(page).toHaveURL(/\/host#/);
  const check = page.locator(`li[id="${new URL(page.url()).hash.slice(1)}"]`);
  await expect(check).toHaveAttribute('data-status', 'fail');
  await expect(check).toContainText('Fix:');
  await expect(page.getByTestId('host-summary')).toHaveAttribute('data-status', 'kind-unavailable');
});

test("a kind lesson's start card says it before Start; a by-hand lesson's kind option too", async ({ page }) => {
  const view = await hostSupport(page);
  test.skip(view.kind.status !== 'unavailable', 'this host can run kind: nothing to mark');
  await page.goto(KIND_LESSON);
  const card = page.getByTestId('lab-placeholder');
  await expect(page.getByTestId('lab-status')).toHaveText('Not started', { timeout: 30_000 });
  const note = card.getByTestId('host-note');
  await expect(note).toContainText('Not on this server:');
  await expect(note.getByRole('link', { name: 'Pod to pod on one node' })).toBeVisible();
  await expect(card.getByRole('alert')).toHaveCount(0);

  await page.goto('/learn/pods/pod-to-pod-on-one-node');
  await expect(page.getByTestId('lab-status')).toHaveText('Not started', { timeout: 30_000 });
  const kindNote = page.getByTestId('lab-placeholder').getByTestId('host-note');
  await expect(kindNote).toContainText('Not on this server:');
  // On the by-hand lesson itself there is no other by-hand lesson to offer.
  await expect(kindNote.getByRole('link')).toHaveCount(1);
});

for (const width of [1440, 1024]) {
  test(`the kind sandbox card's node labels do not overlap at ${width} px`, async ({ page }, info) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(KIND_LESSON);
    await expect(page.getByTestId('lab-status')).toHaveText('Not started', { timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    const svg = page.getByTestId('lab-topology');
    await expect(svg).toBeVisible();
    const boxes = await svg.locator('g').evaluateAll((groups) =>
      groups.map((g) => {
        const r = (el: Element | null) => {
          const b = el!.getBoundingClientRect();
          return { left: b.left, right: b.right, top: b.top, bottom: b.bottom };
        };
        return { label: g.querySelector('text')!.textContent, text: r(g.querySelector('text')), host: r(g.querySelector('rect.pw-host')) };
      }),
    );
    expect(boxes.map((b) => b.label)).toEqual(['jumpbox', 'control-plane', 'worker', 'worker2']);
    for (const b of boxes) {
      expect(b.text.left, `${b.label} starts inside its box`).toBeGreaterThanOrEqual(b.host.left);
      expect(b.text.right, `${b.label} ends inside its box`).toBeLessThanOrEqual(b.host.right);
    }
    for (let i = 1; i < boxes.length; i++)
      expect(boxes[i]!.text.left, `${boxes[i]!.label} clears ${boxes[i - 1]!.label}`).toBeGreaterThan(boxes[i - 1]!.text.right);
    const file = info.outputPath(`sandbox-card-${width}.png`);
    await page.getByTestId('lab-placeholder').locator('> div').screenshot({ path: file });
    console.log(`screenshot: ${file}`);
  });
}

test('a lesson page does not shift while its lab pane loads', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.addInitScript(() => {
    const w = window as unknown as { __shifts: { value: number; sources: string[] }[] };
    w.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean; sources?: { node?: Node }[] }[]) {
        if (e.hadRecentInput) continue;
        w.__shifts.push({
          value: e.value,
          sources: (e.sources ?? []).map((s) => {
            const n = s.node as HTMLElement | undefined;
            const r = s as unknown as { previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly };
            const rect = (d: DOMRectReadOnly) => `${Math.round(d.x)},${Math.round(d.y)} ${Math.round(d.width)}x${Math.round(d.height)}`;
            const name = n
              ? `${n.nodeName.toLowerCase()}${n.id ? `#${n.id}` : ''}${n.className && typeof n.className === 'string' ? `.${n.className.split(' ')[0]}` : ''}${n.dataset?.testid ? `[${n.dataset.testid}]` : ''}`
              : '?';
            return `${name} ${rect(r.previousRect)} -> ${rect(r.currentRect)}`;
          }),
        });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const found: string[] = [];
  for (const url of [KIND_LESSON, '/learn/pods/pods-and-network-namespaces']) {
    await page.goto(url);
    await expect(page.getByTestId('lab-status')).toHaveText('Not started', { timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(500);
    const shifts = await page.evaluate(() => (window as unknown as { __shifts: { value: number; sources: string[] }[] }).__shifts);
    const total = shifts.reduce((n, s) => n + s.value, 0);
    if (total > 0) found.push(`${url}: ${total.toFixed(4)} ${JSON.stringify(shifts)}`);
    // The start button's size must not hang on its content. A browser may paint a streamed page before the parser
    // reaches the button's label (CI run 22: 46 px wide, then 142 px, under load), and the label becomes
    // "Starting…" when the lab starts. Measured on copies beside it: without children, and with the longer label.
    const widths = await page
      .getByTestId('lab-placeholder')
      .locator('button.button-primary')
      .evaluate((button) => {
        const empty = button.cloneNode(false) as HTMLElement;
        const starting = button.cloneNode(true) as HTMLElement;
        starting.lastChild!.textContent = 'Starting…';
        button.after(empty, starting);
        const w = [button, empty, starting].map((b) => b.getBoundingClientRect().width);
        empty.remove();
        starting.remove();
        return w;
      });
    expect(widths, `${url}: the start button as loaded, empty, and with "Starting…"`).toEqual([widths[0], widths[0], widths[0]]);
  }
  expect(found, 'layout shifts while the lab pane loads').toEqual([]);
});
