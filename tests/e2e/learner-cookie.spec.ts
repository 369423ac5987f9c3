// A new visitor is one learner from the first page on. The lesson page fires several API requests as it loads; when
// each of them minted a learner of its own, the browser kept whichever cookie came last, and a lab started under an
// earlier one was lost to the page (a CI run saw the terminal up and GET /api/labs answer { lab: null }). The server
// now sets the learner cookie with the page itself (lib/learner/first-page-learner.ts).
import { expect, test } from '@playwright/test';

const LESSON_URL = '/learn/pods/pods-and-network-namespaces';
const learnerValue = (setCookie: string | null | undefined) => /(?:^|\n)pw_learner=([^;]+)/.exec(setCookie ?? '')?.[1];

test('a new visitor gets one learner cookie, with the page, and every request of the page carries it', async ({ page }) => {
  const minted: { url: string; value: string }[] = [];
  const apiCookies: { url: string; cookie: string }[] = [];
  page.on('response', async (res) => {
    const value = learnerValue(await res.headerValue('set-cookie'));
    if (value) minted.push({ url: new URL(res.url()).pathname, value });
  });
  page.on('request', async (req) => {
    if (new URL(req.url()).pathname.startsWith('/api/')) apiCookies.push({ url: req.url(), cookie: (await req.allHeaders()).cookie ?? '' });
  });

  const doc = await page.goto(LESSON_URL);
  expect(doc?.status()).toBe(200);
  await expect(page.getByRole('button', { name: 'Start lab' })).toBeVisible({ timeout: 30_000 });
  await page.waitForLoadState('networkidle');

  // Exactly one learner was minted, by the page's own answer.
  expect(minted.map((m) => m.url)).toEqual([LESSON_URL]);
  const value = minted[0]!.value;
  // The page asked the API as that learner, from its first request on.
  expect(apiCookies.length).toBeGreaterThan(0);
  for (const r of apiCookies) expect(r.cookie, r.url).toContain(`pw_learner=${value}`);
  // A reload keeps the learner: no new cookie.
  minted.length = 0;
  await page.reload();
  await page.waitForLoadState('networkidle');
  expect(minted).toEqual([]);
});
