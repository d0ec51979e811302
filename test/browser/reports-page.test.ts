/**
 * Seen in a real browser: headless Chromium (Debian's, driven by playwright-core) opens GET /reports on six weeks of
 * seeded funnel rows. The funnel and the weekly trend must be SVG charts with accessible names, the shop's name must be
 * shown as text (escaped, not markup), and the page must ask nothing of any other origin. The screenshot is written
 * under the OS's temp directory for people to look at.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { listen } from '../../src/server';
import { testPool } from '../helpers/database';
import { freePort } from '../helpers/postgres';
import { FunnelSeed } from '../reports/funnel-seed';
import { reportApp, SUPPORT } from '../reports/report-app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.join(os.tmpdir(), 'order-journeys-reports');
const SHOP_NAME = 'Tea & <b>Co</b>';
const pool = testPool();
let api: Server;
let browser: Browser;
let apiUrl: string;

/** Six order weeks from Monday 1 April 2019: more orders each week, and fewer reaching each later stage. */
async function seedSixWeeks(seed: FunnelSeed): Promise<void> {
  for (let week = 0; week < 6; week++) {
    for (let n = 0; n < 4 + week; n++) {
      const day = new Date(Date.UTC(2019, 3, 1 + week * 7 + (n % 5), 9));
      const at = (hours: number) => new Date(day.getTime() + hours * 3_600_000).toISOString();
      const orderId = seed.id(`ord-${week}-${n}`);
      const customerId = seed.id(`cus-${week}-${n}`);
      await seed.cohort(orderId, customerId, n % 2 ? 'lv' : 'en', at(0), [seed.id('sku')]);
      await seed.view(orderId, customerId, {
        startedAt: at(0),
        skus: [seed.id('sku')],
        reviews: n % 3 === 0 ? [{ sku: seed.id('sku'), rating: 5 - (n % 2), at: at(48) }] : [],
        returnsAcceptedAt: n === 1 ? [at(72)] : [],
      });
      const id = await seed.message({
        orderId,
        step: 'confirmation',
        channel: 'email',
        messageType: 'confirmation',
        status: n % 4 === 3 ? 'sent' : 'delivered',
        sentAt: at(1),
      });
      if (n % 2 === 0) await seed.engagement(id, 'open', at(2));
      if (n % 4 === 0) await seed.engagement(id, 'click', at(3));
    }
  }
}

beforeAll(async () => {
  await seedSixWeeks(new FunnelSeed(pool));
  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  api = await listen(reportApp(pool, { SHOP_NAME }), port, '127.0.0.1');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (api ? api.close(resolve) : resolve(undefined)));
  await pool.end();
});

it('draws the funnel and the weekly trend as SVG charts, from this origin only', async () => {
  const context = await browser.newContext({
    extraHTTPHeaders: { Authorization: SUPPORT },
    viewport: { width: 900, height: 900 },
  });
  const page = await context.newPage();
  const elsewhere: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(apiUrl)) elsewhere.push(r.url());
  });

  const response = await page.goto(`${apiUrl}/reports?from=2019-04-01&to=2019-05-12`);
  expect(response?.status()).toBe(200);

  const funnel = page.getByRole('img', { name: 'Message funnel, orders placed 2019-04-01 to 2019-05-12' });
  const trend = page.getByRole('img', { name: 'Funnel stages per order week, 2019-04-01 to 2019-05-12' });
  await expect(funnel.evaluate((el) => el.tagName)).resolves.toBe('svg');
  await expect(trend.evaluate((el) => el.tagName)).resolves.toBe('svg');
  // 4 + 5 + … + 9 = 39 orders, one confirmation each: the "Sent" bar says so, and six weeks have a point per stage.
  await expect(funnel.locator('text', { hasText: /^39$/ }).count()).resolves.toBe(1);
  await expect(trend.locator('g.series').first().locator('circle').count()).resolves.toBe(6);
  // The shop's name is text, not markup.
  await expect(page.locator('h1').innerText()).resolves.toBe(`${SHOP_NAME}: message funnel`);
  await expect(page.locator('h1 b').count()).resolves.toBe(0);
  expect(elsewhere).toEqual([]);

  mkdirSync(SCREENSHOTS, { recursive: true });
  const screenshot = path.join(SCREENSHOTS, 'reports-page.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  console.info(`screenshot: ${screenshot}`);
  await context.close();
}, 60_000);
