/**
 * Writes packages/client/src/contract.ts: every type alias of ./contract.ts expanded into plain TypeScript (object
 * literals, unions, literals), with no import of zod or of the server. `npm run client:types` after changing a
 * request or response schema; `--check` exits 1 when the file is stale (test/client/contract.test.ts does the same).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const SOURCE = join(__dirname, 'contract.ts');
export const GENERATED = join(ROOT, 'packages', 'client', 'src', 'contract.ts');

const HEADER = `/**
 * The API's request and response types, generated from the server's zod schemas by scripts/client-types/generate.ts
 * (\`npm run client:types\`). Do not edit: change the schemas and generate again.
 */
/* eslint-disable */
`;

/** Spells `type` out structurally; named server types never leak into the package. */
function expand(checker: ts.TypeChecker, type: ts.Type, indent = ''): string {
  if (indent.length > 50) throw new Error(`type too deep to expand: ${checker.typeToString(type)}`);
  const next = (t: ts.Type) => expand(checker, t, indent);
  const inner = (t: ts.Type) => expand(checker, t, `${indent}  `);
  /** One line while it fits in 100 columns, else one part per line. */
  const layout = (open: string, parts: string[], separator: string, close: string) => {
    const line = `${open}${parts.join(`${separator} `)}${close}`;
    if (indent.length + line.length <= 100 && !line.includes('\n')) return line;
    const lines = parts.map((p) => `${indent}  ${p}${separator}`).join('\n');
    return `${open.trimEnd()}\n${lines}\n${indent}${close.trimStart()}`;
  };
  const f = type.flags;
  if (f & ts.TypeFlags.Any) return 'any';
  if (f & ts.TypeFlags.Unknown) return 'unknown';
  if (f & ts.TypeFlags.Never) return 'never';
  if (f & ts.TypeFlags.Null) return 'null';
  if (f & ts.TypeFlags.Undefined) return 'undefined';
  const primitive = ts.TypeFlags.String | ts.TypeFlags.Number | ts.TypeFlags.Boolean | ts.TypeFlags.BigInt;
  if (f & primitive) return checker.typeToString(type);
  if (type.isStringLiteral()) return `'${type.value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (f & (ts.TypeFlags.NumberLiteral | ts.TypeFlags.BooleanLiteral)) return checker.typeToString(type);
  if (f & ts.TypeFlags.TemplateLiteral) return checker.typeToString(type);
  if (type.isUnion()) {
    const parts = type.types.map(next);
    const bool = parts.includes('true') && parts.includes('false');
    const merged = bool ? ['boolean', ...parts.filter((p) => p !== 'true' && p !== 'false')] : parts;
    // Sorted, null and undefined last: the order of a union must not depend on the order the checker met its members.
    const rank = (p: string) => (p === 'null' ? 1 : p === 'undefined' ? 2 : 0);
    merged.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
    const line = merged.join(' | ');
    if (indent.length + line.length <= 100 && !line.includes('\n')) return line;
    const deeper = (p: string) => p.replace(/\n/g, '\n  ');
    return `\n${merged.map((p) => `${indent}  | ${deeper(p)}`).join('\n')}`;
  }
  if (type.isIntersection()) return type.types.map((t) => `(${next(t)})`).join(' & ');
  const typeArguments = () => checker.getTypeArguments(type as ts.TypeReference);
  if (checker.isTupleType(type)) return `[${typeArguments().map(next).join(', ')}]`;
  if (checker.isArrayType(type)) {
    const element = next(typeArguments()[0]!);
    return /^[\w'"]+$/.test(element) ? `${element}[]` : `Array<${element}>`;
  }
  if (f & ts.TypeFlags.Object) {
    const members: string[] = [];
    for (const info of checker.getIndexInfosOfType(type)) {
      const value = inner(info.type);
      members.push(`[key: ${checker.typeToString(info.keyType)}]:${value.startsWith('\n') ? '' : ' '}${value}`);
    }
    for (const property of checker.getPropertiesOfType(type)) {
      const optional = property.flags & ts.SymbolFlags.Optional ? '?' : '';
      const name = /^[A-Za-z_$][\w$]*$/.test(property.name) ? property.name : JSON.stringify(property.name);
      const value = inner(checker.getTypeOfSymbol(property));
      members.push(`${name}${optional}:${value.startsWith('\n') ? '' : ' '}${value}`);
    }
    if (checker.getSignaturesOfType(type, ts.SignatureKind.Call).length) {
      throw new Error(`functions have no place in the API contract: ${checker.typeToString(type)}`);
    }
    return members.length ? layout('{ ', members, ';', ' }') : '{}';
  }
  throw new Error(`cannot expand ${checker.typeToString(type)}`);
}

/** The generated file's text. */
export function generateContract(): string {
  const program = ts.createProgram([SOURCE], {
    strict: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(SOURCE)!;
  const out: string[] = [HEADER];
  for (const statement of source.statements) {
    if (!ts.isTypeAliasDeclaration(statement)) continue;
    const docs = ts.getJSDocCommentsAndTags(statement).map((d) => d.getText(source));
    const type = checker.getTypeAtLocation(statement.name);
    out.push(`${docs.join('\n')}\nexport type ${statement.name.text} = ${expand(checker, type)};\n`);
  }
  return out.join('\n');
}

if (require.main === module) {
  const text = generateContract();
  if (process.argv.includes('--check')) {
    if (readFileSync(GENERATED, 'utf8') !== text) {
      console.error(`${GENERATED} is stale: run npm run client:types`);
      process.exit(1);
    }
  } else {
    writeFileSync(GENERATED, text);
    console.log(`wrote ${GENERATED}`);
  }
}
