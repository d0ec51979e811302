/**
 * What the templates' two caches save, each against its baseline measured in the same run: the MJML layout compiled
 * once (vs compiled for every email) and Intl's formatters built once per locale, currency and zone (vs built anew for
 * every email, as before issue 10's P2 profile found them). Prints the times and ratios.
 * Run: `npm run bench:templates -- [emails]`.
 */
import Mustache from 'mustache';
import {
  LOCALES,
  MESSAGE_TYPES,
  prepareTemplates,
  renderEmail,
  renderSms,
  sampleMessage,
  type ShopDetails,
} from '../src/templates';
import { layoutMjml, renderEmailText } from '../src/templates/email-layout';
import { escapeHtml } from '../src/templates/html';
import { clearFormatters } from '../src/templates/format';
import { emailView } from '../src/templates/messages';
import { compileMjml } from '../src/templates/mjml-compiler';

const shop: ShopDetails = {
  name: 'Bench Shop',
  supportEmail: 'help@bench-shop.example',
  postalAddress: 'Bench Shop, 1 Example Street, Riga, LV-1010, Latvia',
  url: 'https://shop.example',
};
const emails = Number(process.argv[2] ?? 150);
const messages = Array.from({ length: emails }, (_, i) =>
  sampleMessage(MESSAGE_TYPES[i % MESSAGE_TYPES.length]!, LOCALES[i % LOCALES.length]!),
);

async function timed(label: string, work: () => Promise<void> | void): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(
    `${label.padEnd(44)} ${(ms / emails).toFixed(3).padStart(9)} ms/email  (${emails} emails, ${ms.toFixed(0)} ms)`,
  );
  return ms;
}

async function main(): Promise<void> {
  await prepareTemplates(); // loads MJML, the catalogues and both layouts: neither side pays for first use
  // Warm both paths (JIT, Intl caches) before measuring.
  for (const m of messages.slice(0, 15)) renderEmail(m, shop);
  await compileMjml(layoutMjml('ltr'));

  const uncached = await timed('baseline: MJML compiled for every email', async () => {
    for (const message of messages) {
      const view = emailView(message, shop);
      const html = Mustache.render(await compileMjml(layoutMjml(view.dir)), view, {}, { escape: escapeHtml });
      const text = renderEmailText(view);
      if (!html || !text) throw new Error('nothing rendered');
    }
  });
  const cached = await timed('renderEmail: layout compiled once, cached', () => {
    for (const message of messages) if (!renderEmail(message, shop).html) throw new Error('nothing rendered');
  });
  const freshFormatters = await timed('baseline: Intl formatters built for every email', () => {
    for (const message of messages) {
      clearFormatters();
      if (!renderEmail(message, shop).html) throw new Error('nothing rendered');
    }
  });
  await timed('renderSms (for scale)', () => {
    for (const message of messages) if (!renderSms(message, shop)) throw new Error('nothing rendered');
  });
  console.log(
    `ratio: the cached layout renders ${(uncached / cached).toFixed(1)}× faster than compiling MJML per email`,
  );
  console.log(
    `ratio: kept formatters render ${(freshFormatters / cached).toFixed(1)}× faster than formatters built per email`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
