/**
 * Phone numbers, by libphonenumber-js with its "max" metadata (Google's libphonenumber numbering plans: exact number
 * lengths and prefixes per country, kept up to date by the library). It is pure — the metadata is bundled JSON, no I/O,
 * no clock, no randomness — so workflow code may call it too (see recipient-zones.ts).
 */
import {
  getCountries,
  getCountryCallingCode,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js/max';

/** What a phone field must be, as the 400 says it. */
export const PHONE_NUMBER_RULE = 'must be a valid phone number in E.164 form such as +37120000000';

/** The E.164 shape (a "+", the country code, at most 15 digits): necessary, not sufficient — see isE164PhoneNumber. */
export const E164_SHAPE = /^\+[1-9]\d{6,14}$/;

/**
 * Whether `input` is a valid number written exactly as E.164 (what SMS providers expect): the shape, and a number that
 * exists in its country's numbering plan ("+37120000000" yes; "+3712600000", one digit short, no).
 */
export function isE164PhoneNumber(input: string): boolean {
  if (!E164_SHAPE.test(input)) return false;
  const parsed = parsePhoneNumberFromString(input);
  return parsed !== undefined && parsed.isValid() && parsed.number === input;
}

/** An international number however it is written ("+371 26 000 000", "+1 (415) 555-0100") as E.164; else undefined. */
export function toE164(input: string): string | undefined {
  const parsed = parsePhoneNumberFromString(input.trim());
  return parsed?.isPossible() ? parsed.number : undefined;
}

/**
 * The countries (ISO 3166-1 alpha-2) a number belongs to: its own when the numbering plan tells (+1 415… is the US,
 * +1 416… Canada, +7 701… Kazakhstan); else every country sharing its calling code (a number checkout took before
 * numbers were validated); none for a non-geographic or unknown code (+800, +999).
 */
export function countriesOfPhone(phone: string): CountryCode[] {
  const parsed = parsePhoneNumberFromString(phone);
  if (!parsed) return [];
  if (parsed.country) return [parsed.country];
  return getCountries().filter((country) => getCountryCallingCode(country) === parsed.countryCallingCode);
}
