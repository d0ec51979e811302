/**
 * Jest transform for the few ESM-only packages the service uses (jose; node-fetch 3 and uuid under @vonage/sms): Node
 * loads them with require(esm), which Jest's module system does not do, so Jest gets them rewritten to CommonJS.
 */
const ts = require('typescript');

module.exports = {
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
