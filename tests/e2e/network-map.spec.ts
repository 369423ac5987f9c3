// The Map and Capture tabs in Chromium on a real nodes-2 lab: a link typed into node1's terminal is on the map within
// 2 s of Enter; a VXLAN between the nodes is drawn as a tunnel; "Capture here" on node1's eth0, a ping, and ICMP rows
// appear, the selected packet's layer tree shows tshark's ICMP layer, and the downloaded file is a pcapng (Section
// Header Block magic). Screenshots go to docs/screenshots/.
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';

const LESSON_URL = '/learn/between-nodes/overlays-vxlan';

test.describe.configure({ mode: 'serial', timeout: 300_000 });

async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
}

async function typeInto(page: Page, target: string, lines: string[]): Promise<void> {
  await openTab(page, target);
  const term = page.getByTestId(`terminal-${target}`);
  await expect(term).toHaveAttribute('data-status', 'live', { timeout: 60_000 });
  await term.locator('.xterm').click();
  for (const line of lines) {
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
  }
}

const iface = (page: Page, id: string) => page.locator(`[data-testid="map-iface"][data-id="${id}"]`);

test('map follows the terminal; capture a ping and download it', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(LESSON_URL);
  await page.getByRole('button', { name: 'Start lab' }).click();
  await expect(page.getByTestId('terminal-node1')).toHaveAttribute('data-status', 'live', { timeout: 120_000 });

  await openTab(page, 'Map');
  await expect(iface(page, 'node1/-/eth0')).toBeVisible({ timeout: 30_000 });
  await expect(iface(page, 'node2/-/eth0')).toBeVisible();

  // Type a new link; the map shows it without a reload. How fast is measured, not asserted (a timed assertion fails on
  // a loaded CI machine, where the browser's layout alone can take seconds): the time is logged here, and
  // `npm run bench:map` measures change → map on a quiet machine.
  await typeInto(page, 'node1', []);
  await page.keyboard.type('ip link add pwmap0 type veth peer name pwmap1');
  const enterAt = Date.now();
  await page.keyboard.press('Enter');
  await openTab(page, 'Map');
  await expect(iface(page, 'node1/-/pwmap0')).toBeVisible({ timeout: 15_000 });
  console.log(`map: new link visible ${Date.now() - enterAt} ms after Enter`);
  await expect(page.locator('[data-testid="map-canvas"] .react-flow__edge').first()).toBeAttached();

  // A VXLAN between the nodes, with a pod on a bridge behind it, for the tunnel and the screenshot.
  await typeInto(page, 'node1', [
    'ip netns add pod-a; ip link add br0 type bridge; ip link set br0 up; ip addr add 10.100.1.1/24 dev br0',
    'ip link add veth-a type veth peer name eth0 netns pod-a; ip link set veth-a master br0 up; ip -n pod-a addr add 10.100.1.10/24 dev eth0; ip -n pod-a link set eth0 up',
    'ip link add vxlan100 type vxlan id 100 remote $(getent hosts node2 | cut -d" " -f1) dstport 4789 dev eth0; ip link set vxlan100 up',
  ]);
  await typeInto(page, 'node2', [
    'ip link add vxlan100 type vxlan id 100 remote $(getent hosts node1 | cut -d" " -f1) dstport 4789 dev eth0; ip link set vxlan100 up',
  ]);
  await openTab(page, 'Map');
  await expect(iface(page, 'node1/pod-a/eth0')).toBeVisible({ timeout: 15_000 });
  await expect(iface(page, 'node2/-/vxlan100')).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('.react-flow__edge').filter({ hasText: 'VNI 100' })).toHaveCount(1, { timeout: 15_000 });
  // A wide pane for the screenshot (the learner drags the separator the same way).
  await page.evaluate(() => document.documentElement.style.setProperty('--lab-width', '68vw'));
  await page.getByRole('button', { name: 'Fit View' }).click();
  await page.waitForTimeout(500);
  await page.getByTestId('lab-pane').screenshot({ path: 'docs/screenshots/map.png' });

  // Capture here: node1's eth0, ICMP only.
  await iface(page, 'node1/-/eth0').click();
  await expect(page.getByTestId('iface-details')).toContainText('eth0');
  await page.getByRole('button', { name: 'Capture here' }).click();
  await expect(page.getByTestId('capture-panel')).toBeVisible();
  await page.getByLabel('capture filter').fill('icmp');
  await page.getByRole('button', { name: 'Start capture' }).click();
  await expect(page.getByTestId('capture-status')).toHaveAttribute('data-state', 'running', { timeout: 90_000 });
  await typeInto(page, 'node1', ['ping -c 3 node2']);
  await openTab(page, 'Capture');
  await expect(page.locator('[data-testid="packet-row"][data-protocol="ICMP"]').first()).toBeVisible({ timeout: 15_000 });
  // The list says how much of the capture it shows (at high rates it is a sample; the pcapng is the record).
  await expect(page.getByTestId('packet-list-note')).toContainText(/^Showing (all \d+|the newest \d+ of \d+) packets tshark decoded/);
  await page.locator('[data-testid="packet-row"]').filter({ hasText: 'Echo (ping) request' }).first().click();
  await expect(page.locator('[data-testid="packet-tree"] [data-layer="icmp"]')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('lab-pane').screenshot({ path: 'docs/screenshots/capture.png' });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('capture-download').click()]);
  const file = fs.readFileSync((await download.path())!);
  expect(file.readUInt32BE(0)).toBe(0x0a0d0d0a); // pcapng Section Header Block
  expect([file.readUInt32LE(8), file.readUInt32BE(8)]).toContain(0x1a2b3c4d); // byte-order magic
  expect(file.length).toBeGreaterThan(100);
  await page.getByTestId('capture-panel').getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('capture-status')).toHaveAttribute('data-state', 'stopped', { timeout: 15_000 });
});

// React Flow measures every box with a ResizeObserver, and without `handles` it drew a cable only once both ends were
// measured. A loaded CI machine was seen to leave boxes unmeasured (run 6: a blank map; later: boxes, but no cables for
// 10 s). Here no map box is ever measured: the boxes and cables must still be drawn, from the layout alone.
test('the map draws boxes and cables that were never measured', async ({ page }) => {
  await page.addInitScript(() => {
    const Native = window.ResizeObserver;
    window.ResizeObserver = class extends Native {
      override observe(target: Element, options?: ResizeObserverOptions): void {
        if (!target.classList.contains('react-flow__node')) super.observe(target, options);
      }
    };
  });
  await page.goto(LESSON_URL);
  await page.getByRole('button', { name: 'Start lab' }).click();
  await expect(page.getByTestId('terminal-node1')).toHaveAttribute('data-status', 'live', { timeout: 120_000 });
  await openTab(page, 'Map');
  await expect(iface(page, 'node1/-/eth0')).toBeVisible({ timeout: 30_000 });
  const canvas = page.getByTestId('map-canvas');
  const cable = (name: RegExp) => canvas.getByRole('group', { name });
  // The lesson's setup: node1's eth0 on the lab network, and pod-a's veth on the node's bridge.
  await expect(cable(/^Edge from node1\/-\/eth0 to lan:/)).toBeAttached();
  await expect(cable(/^Edge from node1\/-\/veth-a to node1\/pod-a\/eth0$/)).toBeAttached();

  // A veth pair typed in the terminal: two new boxes and the cable between them, still without measuring.
  await typeInto(page, 'node1', ['ip link add pwmap0 type veth peer name pwmap1']);
  await openTab(page, 'Map');
  await expect(iface(page, 'node1/-/pwmap1')).toBeVisible({ timeout: 15_000 });
  await expect(cable(/^Edge from node1\/-\/pwmap[01] to node1\/-\/pwmap[01]$/)).toBeAttached();
  const paths = await canvas.locator('.react-flow__edge path.react-flow__edge-path').evaluateAll((els) => els.map((p) => p.getAttribute('d') ?? ''));
  expect(paths.length).toBeGreaterThanOrEqual(3);
  for (const d of paths) expect(d).toMatch(/^M\s*-?\d/); // drawn from real coordinates, not NaN
});
