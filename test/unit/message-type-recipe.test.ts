/**
 * The README's "Add a message type", followed for real at compile time: the TypeScript compiler (not only a test)
 * rejects a message type that a catalogue lacks, and points at every file of the recipe. The sources are compiled as
 * `tsc -p .` would, with the recipe's edits made in memory (no file changes); then every catalogue is checked to cover
 * every MessageType at run time too.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { MESSAGE_KINDS, messageKind, waitsForQuietHours } from '../../src/domain/message-kinds';
import { isMessageType, MESSAGE_TYPES } from '../../src/domain/message-types';
import { SEND_DEADLINE_HOURS, sendDeadlineMs } from '../../src/domain/send-deadlines';
import { LOCALES, prepareTemplates, renderEmail, renderSms, sampleMessage } from '../../src/templates';
import { catalogue } from '../../src/templates/catalogue';
import { SHOP } from '../templates/shop';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURE = 'test/unit/fixtures/message-type-recipe.fixture.ts';
/** Where the recipe's errors may appear; errors elsewhere are other work's business (tsc itself reports them). */
const RECIPE_FILES =
  /^(src\/domain\/(message-types|message-kinds|send-deadlines)\.ts|src\/templates\/|test\/templates\/|test\/unit\/fixtures\/)/;

type Edit = (text: string) => string;
interface CompileError {
  file: string;
  line: number;
  /** The source text the error points at. */
  at: string;
  message: string;
}

const options = (() => {
  const { config } = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), (file) => ts.sys.readFile(file));
  // Only Node's ambient types: the compiled files use no test globals, and loading jest's would double the time.
  return { ...ts.parseJsonConfigFileContent(config, ts.sys, ROOT).options, noEmit: true, types: ['node'] };
})();
const unedited = new Map<string, ts.SourceFile>(); // lib and node_modules files, parsed once for every compilation

/** Type-checks `roots` with some files' text edited in memory; the errors in the recipe's files. */
function compile(roots: string[], edits: Record<string, Edit> = {}): CompileError[] {
  const host = ts.createCompilerHost(options, true);
  const parse = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError) => {
    const edit = edits[path.relative(ROOT, fileName)];
    if (edit) return ts.createSourceFile(fileName, edit(readFileSync(fileName, 'utf8')), languageVersion, true);
    const cacheable = fileName.includes('/node_modules/');
    const found = cacheable ? unedited.get(fileName) : undefined;
    const parsed = found ?? parse(fileName, languageVersion, onError);
    if (cacheable && parsed) unedited.set(fileName, parsed);
    return parsed;
  };
  const program = ts.createProgram({ rootNames: roots.map((r) => path.join(ROOT, r)), options, host });
  const errors: CompileError[] = [];
  for (const source of program.getSourceFiles()) {
    const file = path.relative(ROOT, source.fileName);
    if (!RECIPE_FILES.test(file)) continue;
    for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      const start = d.start ?? 0;
      const line = source.getLineAndCharacterOfPosition(start).line + 1;
      const at = source.text.slice(start, start + (d.length ?? 0));
      errors.push({ file, line, at, message: ts.flattenDiagnosticMessageText(d.messageText, '\n') });
    }
  }
  return errors;
}

const filesWithErrors = (errors: CompileError[]) => [...new Set(errors.map((e) => e.file))].sort();

/** Inserts `addition` after `anchor` (which must be there: a moved anchor fails the test, not silently passes it). */
const after =
  (anchor: string, addition: string): Edit =>
  (text) => {
    if (!text.includes(anchor)) throw new Error(`recipe edit: "${anchor}" not found`);
    return text.replace(anchor, `${anchor}${addition}`);
  };
const before =
  (anchor: string, addition: string): Edit =>
  (text) =>
    after(anchor, '')(text).replace(anchor, `${addition}${anchor}`);
const both =
  (first: Edit, second: Edit): Edit =>
  (text) =>
    second(first(text));

/** Step 1 of the recipe: the new name in the list. */
const ADD_THE_NAME = { 'src/domain/message-types.ts': after("  'cancellation',\n", "  'gift_card_expiring',\n") };

/** The code steps of the recipe (what the compiler asks for after step 1), for a type shaped like the cancellation. */
const CODE_STEPS: Record<string, Edit> = {
  ...ADD_THE_NAME,
  'src/domain/message-kinds.ts': after("  unboxing_tips: 'marketing',\n", "  gift_card_expiring: 'marketing',\n"),
  'src/domain/send-deadlines.ts': after('  replenishment_reminder: 48,\n', '  gift_card_expiring: 48,\n'),
  'src/templates/types.ts': after('  cancellation: CancellationData;\n', '  gift_card_expiring: CancellationData;\n'),
  'src/templates/catalogue.ts': after(
    '  cancellation: z.strictObject(base),\n',
    '  gift_card_expiring: z.strictObject(base),\n',
  ),
  'src/templates/samples.ts': after(
    "  cancellation: (order) => ({ messageType: 'cancellation', data: { order } }),\n",
    "  gift_card_expiring: (order) => ({ messageType: 'gift_card_expiring', data: { order } }),\n",
  ),
  'src/templates/messages.ts': both(
    before("    case 'cancellation':\n      return { prefix", "    case 'gift_card_expiring':\n"),
    before("    case 'cancellation': {\n      const copyOf", "    case 'gift_card_expiring':\n"),
  ),
};

/** The last step: the copy in every locale file. */
const COPY_STEPS: Record<string, Edit> = Object.fromEntries(
  LOCALES.map((locale) => [
    `src/templates/sources/locales/${locale}.json`,
    (text: string) => {
      const file = JSON.parse(text) as { messages: Record<string, unknown> };
      const copy = { subject: 'Your gift card', paragraphs: ['It expires soon.'], sms: 'It expires soon.' };
      file.messages.gift_card_expiring = copy;
      return JSON.stringify(file);
    },
  ]),
);

/** Everything that holds a catalogue keyed by message type, the locale files included. */
const CATALOGUES = ['src/templates/index.ts', 'src/domain/send-deadlines.ts', 'test/templates/locale-files.ts'];
const COMPILING = 180_000; // each compilation type-checks the templates: seconds, more on a busy machine

describe('adding a message type: the compiler walks you through the recipe', () => {
  it(
    'a name added to MESSAGE_TYPES alone fails in its kind, retry window, data, copy, sample and rendering',
    () => {
      const errors = compile(CATALOGUES, ADD_THE_NAME);
      expect(filesWithErrors(errors)).toEqual([
        'src/domain/message-kinds.ts',
        'src/domain/send-deadlines.ts',
        'src/templates/catalogue.ts',
        'src/templates/messages.ts',
        'src/templates/samples.ts',
        'src/templates/types.ts',
      ]);
      for (const file of [
        'src/domain/message-kinds.ts',
        'src/domain/send-deadlines.ts',
        'src/templates/catalogue.ts',
      ]) {
        expect(errors.find((e) => e.file === file)?.message).toMatch(/Property 'gift_card_expiring' is missing/);
      }
    },
    COMPILING,
  );

  it(
    'with every code step done, what is left is the copy, in each of the five locale files',
    () => {
      const errors = compile(CATALOGUES, CODE_STEPS);
      expect(filesWithErrors(errors)).toEqual(['test/templates/locale-files.ts']);
      expect(errors.map((e) => e.at).sort()).toEqual([...LOCALES].sort());
      expect(errors.every((e) => /Property 'gift_card_expiring' is missing/.test(e.message))).toBe(true);
    },
    COMPILING,
  );

  it(
    'with the copy written too, it all compiles: the recipe is complete',
    () => {
      expect(compile(CATALOGUES, { ...CODE_STEPS, ...COPY_STEPS })).toEqual([]);
    },
    COMPILING,
  );
});

describe('a catalogue lacking a message type does not compile (the @ts-expect-error fixture)', () => {
  const text = readFileSync(path.join(ROOT, FIXTURE), 'utf8');
  const directives = text.split('\n').flatMap((line, i) => (line.includes('// @ts-expect-error') ? [i + 1] : []));

  it(
    'without its directives, each line they guard fails, and nothing else in fixture or catalogues does',
    () => {
      expect(directives.length).toBeGreaterThanOrEqual(8);
      // The directives become blank lines (line numbers hold): what each one silenced must show, on the line after it.
      // tsc --noEmit in npm test checks the other half: with the directives, the fixture compiles.
      const withoutDirectives = (t: string) => t.replace(/^[ \t]*\/\/ @ts-expect-error.*$/gm, '');
      const bare = compile([...CATALOGUES, FIXTURE], { [FIXTURE]: withoutDirectives });
      const failing = [...new Set(bare.map((e) => `${e.file}:${e.line}`))].sort();
      expect(failing).toEqual(directives.map((line) => `${FIXTURE}:${line + 1}`).sort());
    },
    COMPILING,
  );
});

describe('every catalogue covers every message type at run time too', () => {
  beforeAll(() => prepareTemplates()); // the email layouts compiled ahead, not in a worker thread left to end later
  const sorted = [...MESSAGE_TYPES].sort();

  it('the list names each type once', () => {
    expect(new Set(MESSAGE_TYPES).size).toBe(MESSAGE_TYPES.length);
    expect(MESSAGE_TYPES.every(isMessageType)).toBe(true);
    expect(isMessageType('gift_card_expiring')).toBe(false);
  });

  it('kinds and retry windows: one per type, and nothing falls back to a default', () => {
    expect(Object.keys(MESSAGE_KINDS).sort()).toEqual(sorted);
    expect(Object.keys(SEND_DEADLINE_HOURS).sort()).toEqual(sorted);
    for (const type of MESSAGE_TYPES) {
      expect({ type, kind: messageKind(type) }).toEqual({ type, kind: MESSAGE_KINDS[type] });
      expect({ type, ms: sendDeadlineMs(type, {}) }).toEqual({ type, ms: SEND_DEADLINE_HOURS[type] * 3_600_000 });
    }
  });

  it('only transactional messages may be urgent SMS (sent at any hour)', () => {
    const urgent = MESSAGE_TYPES.filter((type) => !waitsForQuietHours(type, 'sms'));
    expect(urgent.length).toBeGreaterThan(0);
    expect(urgent.filter((type) => MESSAGE_KINDS[type] !== 'transactional')).toEqual([]);
  });

  it('the copy of every locale has every type and no other', () => {
    for (const locale of LOCALES) {
      expect({ locale, types: Object.keys(catalogue(locale).messages).sort() }).toEqual({ locale, types: sorted });
    }
  });

  it('each type has a sample of its own, which renders as email and SMS', () => {
    for (const type of MESSAGE_TYPES) {
      const message = sampleMessage(type, 'en');
      expect(message.messageType).toBe(type);
      expect(renderEmail(message, SHOP).subject.trim()).not.toBe('');
      expect(renderSms(message, SHOP).startsWith(`${SHOP.name}: `)).toBe(true);
    }
  });
});
