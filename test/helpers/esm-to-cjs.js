/**
 * Jest transform for the few ESM-only packages the service uses (jose; node-fetch 3 and uuid under @vonage/sms): Node
 * loads them with require(esm), which Jest's module system does not do, so Jest gets them rewritten to CommonJS.
 */
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const ts = require('typescript');

/** This file's own text is part of every cache key: a change of the options below re-transforms what Jest cached. */
const SELF = readFileSync(require.resolve('./esm-to-cjs.js'));

module.exports = {
  getCacheKey(source, filename) {
    return createHash('sha256').update(SELF).update('\0').update(filename).update('\0').update(source).digest('hex');
  },
  process(source, filename) {
    const { outputText } = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        allowJs: true,
        // node-fetch imports Node's built-ins by their default export (`import Stream from 'node:stream'`).
        esModuleInterop: true,
      },
    });
    return { code: outputText };
  },
};
