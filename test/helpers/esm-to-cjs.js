/**
 * Jest transform for the few ESM-only packages the service uses (jose): Node loads them with require(esm), which
 * Jest's module system does not do, so Jest gets them rewritten to CommonJS.
 */
const ts = require('typescript');

module.exports = {
  process(source, filename) {
    const { outputText } = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, allowJs: true },
    });
    return { code: outputText };
  },
};
