/**
 * Every locale's copy has every message type: the compiler checks it (./locale-files.ts), and so does this test, on
 * the files the compiler checked and on the copy the templates load.
 */
import { LOCALES, MESSAGE_TYPES } from '../../src/templates';
import { catalogue } from '../../src/templates/catalogue';
import { LOCALE_FILES } from './locale-files';

describe('the copy of every locale', () => {
  it.each(LOCALES)('%s has every message type and no other', (locale) => {
    expect(Object.keys(LOCALE_FILES[locale].messages).sort()).toEqual([...MESSAGE_TYPES].sort());
  });

  it.each(LOCALES)('%s: the file the compiler checks is the copy the templates load', (locale) => {
    expect(catalogue(locale)).toEqual(LOCALE_FILES[locale]);
  });
});
