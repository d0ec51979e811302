/**
 * The typed client as the package backend teams install (packages/client): it builds to JavaScript and declarations
 * that import nothing from outside the package (not zod, not the server), and its contract types are the ones the
 * server's schemas define today.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENERATED, generateContract } from '../../scripts/client-types/generate';

const PACKAGE = join(__dirname, '..', '..', 'packages', 'client');

describe('the client package', () => {
  it('builds to JavaScript and type declarations that import nothing from outside the package', () => {
    const out = mkdtempSync(join(tmpdir(), 'client-build-'));
    try {
      const tsc = require.resolve('typescript/bin/tsc');
      execFileSync(process.execPath, [tsc, '-p', join(PACKAGE, 'tsconfig.json'), '--outDir', out], { stdio: 'pipe' });
      const files = readdirSync(out);
      expect(files).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'contract.js', 'contract.d.ts']));
      for (const file of files.filter((f) => /\.(js|d\.ts)$/.test(f))) {
        const text = readFileSync(join(out, file), 'utf8');
        const specifiers = [...text.matchAll(/(?:require\(|from\s+|import\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
        expect({ file, outside: specifiers.filter((s) => !s!.startsWith('./')) }).toEqual({ file, outside: [] });
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the built file as a consumer would
      const built = require(join(out, 'index.js')) as Record<string, unknown>;
      expect(typeof built.OrderJourneysClient).toBe('function');
      expect(typeof built.OrderJourneysApiError).toBe('function');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('declares no dependency and publishes what it builds', () => {
    const manifest = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.peerDependencies ?? {}).toEqual({});
    expect(manifest.exports).toEqual({ '.': { types: './dist/index.d.ts', default: './dist/index.js' } });
    expect(manifest.files).toEqual(expect.arrayContaining(['dist']));
  });

  it("carries the contract the server's zod schemas define today (else: npm run client:types)", () => {
    expect(readFileSync(GENERATED, 'utf8')).toBe(generateContract());
  }, 180_000);
});
