/**
 * The locale files as the compiler sees them: each is imported as JSON and must satisfy `Catalogue`, whose `messages`
 * hold one entry per MessageType — so a message type missing from a file fails `tsc --noEmit -p .` (npm test's
 * typecheck) here, pointing at the locale. The catalogue's schema checks the same again when it loads the files.
 */
import type { Locale } from '../../src/templates';
import type { Catalogue } from '../../src/templates/catalogue';
import ar from '../../src/templates/sources/locales/ar.json';
import bg from '../../src/templates/sources/locales/bg.json';
import en from '../../src/templates/sources/locales/en.json';
import hu from '../../src/templates/sources/locales/hu.json';
import lv from '../../src/templates/sources/locales/lv.json';

/** One file per locale, each a complete Catalogue: a locale or a message type left out is a type error here. */
export const LOCALE_FILES = { en, lv, bg, hu, ar } satisfies Record<Locale, Catalogue>;
