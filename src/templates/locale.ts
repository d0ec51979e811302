/**
 * Which of our catalogues speaks to a customer, and how Intl should format for them.
 * "lv-LV" → Latvian copy with Latvian formats; "en-GB" → English copy with British dates; "xx" or "" → English.
 */

export const LOCALES = ['en', 'lv', 'bg', 'hu', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Languages written right to left among ours. */
const RTL: ReadonlySet<Locale> = new Set<Locale>(['ar']);

export interface ResolvedLocale {
  /** The catalogue the copy comes from. */
  locale: Locale;
  /**
   * What Intl formats with: the customer's own tag when Intl knows it and its language is ours, else the catalogue's.
   */
  intlLocale: string;
  dir: 'ltr' | 'rtl';
}

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

export function resolveLocale(requested: string | undefined): ResolvedLocale {
  const canonical = canonicalTag(requested ?? '');
  const language = canonical?.split('-')[0]?.toLowerCase() ?? '';
  const locale = isLocale(language) ? language : DEFAULT_LOCALE;
  const intlLocale =
    canonical && locale === language && Intl.NumberFormat.supportedLocalesOf([canonical]).length ? canonical : locale;
  return { locale, intlLocale, dir: RTL.has(locale) ? 'rtl' : 'ltr' };
}

/** "lv_LV" and "LV-lv" → "lv-LV"; undefined for what is no BCP 47 tag at all. */
function canonicalTag(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag.trim().replace(/_/g, '-'))[0];
  } catch {
    return undefined;
  }
}
