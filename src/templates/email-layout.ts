/**
 * The frame of every email, from two template files: sources/email.mjml (responsive HTML; compiled by MJML once per
 * writing direction, then filled with mustache per message) and sources/email.txt.mustache (the plain-text part).
 * Both get the same view, built from the catalogue's copy in messages.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Mustache from 'mustache';
import { SOURCES_DIR } from './catalogue';
import { escapeHtml } from './html';
import { compileMjmlInThread, compileMjmlSync } from './mjml-compiler';

export type Direction = 'ltr' | 'rtl';

/** Everything an email shows, as plain text (the HTML layout escapes it). Optional blocks are null when absent. */
export interface EmailView {
  lang: string;
  dir: Direction;
  subject: string;
  /** The line inboxes show after the subject. */
  preheader: string;
  shopName: string;
  greeting: string;
  paragraphs: string[];
  list: { items: string[] } | null;
  receipt: { lines: { label: string; amount: string }[]; totalLabel: string; total: string } | null;
  /** Short facts after the receipt, e.g. the expected delivery. */
  notes: string[];
  button: { label: string; url: string } | null;
  related: { heading: string; links: { label: string; url: string | null }[] } | null;
  orderLine: string;
  support: string;
  /** Marketing email only: why they get it, the sender's postal address, the way out. */
  marketing: { reason: string; postalAddress: string | null; unsubscribeLabel: string; unsubscribeUrl: string } | null;
}

const sources = new Map<string, string>();
function source(name: string): string {
  let text = sources.get(name);
  if (text === undefined) {
    text = readFileSync(path.join(SOURCES_DIR, name), 'utf8');
    sources.set(name, text);
  }
  return text;
}

/** The MJML for one direction: its [[…]] tags filled in, its {{…}} tags left for each message. */
export function layoutMjml(dir: Direction): string {
  const params = { dir, align: dir === 'rtl' ? 'right' : 'left', alignEnd: dir === 'rtl' ? 'left' : 'right' };
  return Mustache.render(source('email.mjml'), params, {}, { tags: ['[[', ']]'] });
}

const compiled = new Map<Direction, string>();

/**
 * Compiles both layouts in worker threads without blocking the event loop (and without keeping MJML loaded in this
 * one); after this, rendering never waits for MJML.
 */
export async function prepareEmailLayouts(): Promise<void> {
  await Promise.all(
    (['ltr', 'rtl'] as const).map(async (dir) => {
      if (!compiled.has(dir)) {
        const html = await compileMjmlInThread(layoutMjml(dir));
        if (!compiled.has(dir)) compiled.set(dir, html);
      }
    }),
  );
}

/** The directions whose layout is compiled already (rendering them never compiles). */
export function compiledDirections(): Direction[] {
  return [...compiled.keys()];
}

function compiledLayout(dir: Direction): string {
  let html = compiled.get(dir);
  if (html === undefined) {
    html = compileMjmlSync(layoutMjml(dir));
    compiled.set(dir, html);
  }
  return html;
}

export function renderEmailHtml(view: EmailView): string {
  return Mustache.render(compiledLayout(view.dir), view, {}, { escape: escapeHtml });
}

export function renderEmailText(view: EmailView): string {
  const text = Mustache.render(source('email.txt.mustache'), view, {}, { escape: (value: string) => value });
  return text.replace(/\n{3,}/g, '\n\n').trim();
}
