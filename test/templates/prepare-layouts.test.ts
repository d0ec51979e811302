/**
 * Long-lived processes (the journey worker) compile the email layouts at start: off the event loop, and without
 * keeping MJML loaded in their own heap afterwards (27 MB more RSS at the worker's start when it was).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** Runs `body` in a fresh Node process (TypeScript through tsx); what it prints is the answer. */
function inFreshProcess(body: string): string {
  const script = `require('tsx/cjs'); (async () => { ${body} })().catch((e) => { console.error(e); process.exit(1); });`;
  const run = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`the process failed: ${run.stderr}`);
  return run.stdout.trim();
}

const MJML_LOADED = 'Object.keys(require.cache).some((f) => /node_modules[\\\\/]mjml[\\\\/]/.test(f))';

describe('compiling the email layouts ahead of time', () => {
  it('compiles both directions, and leaves MJML out of the process that asked', () => {
    const answer = inFreshProcess(`
      const before = require('./src/templates/email-layout').compiledDirections();
      await require('./src/templates').prepareTemplates();
      const after = require('./src/templates/email-layout').compiledDirections().sort();
      console.log(JSON.stringify({ before, after, mjmlLoaded: ${MJML_LOADED} }));
    `);
    expect(JSON.parse(answer)).toEqual({ before: [], after: ['ltr', 'rtl'], mjmlLoaded: false });
  });

  it('the check sees MJML when it is loaded in process', () => {
    const answer = inFreshProcess(`
      await require('./src/templates/mjml-compiler').compileMjml(require('./src/templates/email-layout').layoutMjml('ltr'));
      console.log(${MJML_LOADED});
    `);
    expect(answer).toBe('true');
  });
});
