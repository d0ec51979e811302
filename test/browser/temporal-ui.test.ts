/**
 * Seen in a real browser: headless Chromium (Debian's, driven by playwright-core) opens a journey in the dev server's
 * Temporal Web UI, which decodes payloads through our codec server. The summary and current details must show, and the
 * workflow input must appear decoded (the customer's email is only readable through the codec). A screenshot is kept
 * in test-artifacts/ for people to look at.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig } from '../../src/config';
import { productionPolicy } from '../../src/domain/policy';
import { createLogger } from '../../src/logger';
import { buildApi, listen } from '../../src/server';
import type { WorkerGroup } from '../../src/temporal/journey-workers';
import { journeyQuery } from '../../src/workflows/definitions';
import { testPool } from '../helpers/database';
import { anOrder } from '../helpers/fixtures';
import { freePort } from '../helpers/postgres';
import { createTestWorker, startDevServerEnv } from '../helpers/temporal';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts');
const taskQueue = 'browser-check';
const pool = testPool();
let env: TestWorkflowEnvironment;
let worker: WorkerGroup;
let running: Promise<void>;
let api: Server;
let browser: Browser;
let uiUrl: string;
let apiUrl: string;

beforeAll(async () => {
  const [apiPort, uiPort] = [await freePort(), await freePort()];
  apiUrl = `http://127.0.0.1:${apiPort}`;
  uiUrl = `http://127.0.0.1:${uiPort}`;
  env = await startDevServerEnv({ uiPort, codecEndpoint: `${apiUrl}/codec` });
  worker = await createTestWorker(env, taskQueue, pool);
  running = worker.run();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    TEMPORAL_TASK_QUEUE: taskQueue,
    CODEC_OPEN_IN_DEV: 'true', // as `npm run dev` does: the local UI has no login
    CODEC_CORS_ORIGINS: uiUrl,
  });
  api = await listen(buildApi(config, pool, env.client, productionPolicy, createLogger({ level: 'silent' })), apiPort);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (api ? api.close(resolve) : resolve(undefined)));
  worker?.shutdown();
  await running;
  await env?.teardown();
  await pool.end();
});

/** The UI renders markdown (current details) in a sandboxed frame, which page-level locators do not search. */
async function untilSomeFrameShows(page: Page, text: RegExp, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const body = await frame
        .locator('body')
        .innerText({ timeout: 1_000 })
        .catch(() => '');
      if (text.test(body)) return;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no frame of the page shows ${text}`);
}

it('shows a journey in the Temporal UI with its summary, current details and decoded input', async () => {
  const order = anOrder({ email: 'liga.ozola@example.lv' });
  const res = await fetch(`${apiUrl}/v1/orders`, {
    method: 'POST',
    headers: { authorization: 'Bearer dev-checkout-key', 'content-type': 'application/json' },
    body: JSON.stringify(order),
  });
  expect(res.status).toBe(201);
  const workflowId = `order-${order.orderId}`;
  for (
    let i = 0;
    i < 100 && (await env.client.workflow.getHandle(workflowId).query(journeyQuery)).stage !== 'awaiting_shipment';
    i++
  ) {
    await new Promise((r) => setTimeout(r, 100));
  }

  const page = await browser.newPage({ viewport: { width: 1440, height: 1800 } });
  const { runId } = await env.client.workflow.getHandle(workflowId).describe();
  await page.goto(`${uiUrl}/namespaces/default/workflows/${workflowId}/${runId}/history`, {
    waitUntil: 'domcontentloaded',
  });
  try {
    await page.getByText(`Order ${order.orderId} · 2 items · 59.90 EUR`).first().waitFor({ timeout: 15_000 });
    // The input is encrypted in history: the UI can only show the email after the codec server decoded it.
    await page.getByText('liga.ozola@example.lv').first().waitFor({ timeout: 15_000 });
    // Summary and current details (the journey's markdown) are on the "User Metadata" tab.
    await page.getByText('User Metadata', { exact: true }).first().click();
    await untilSomeFrameShows(page, new RegExp(`Order ${order.orderId} · 2 items · 59\\.90 EUR`));
    await untilSomeFrameShows(page, /Stage:\s*awaiting shipment/);
  } catch (err) {
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'temporal-ui-journey-failed.png'), fullPage: true });
    throw err;
  }

  mkdirSync(ARTIFACTS, { recursive: true });
  const screenshot = path.join(ARTIFACTS, 'temporal-ui-journey.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  console.info(`screenshot: ${screenshot}`);
}, 120_000);
