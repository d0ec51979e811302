/**
 * Segment counting as carriers do it: GSM-7 (160 single / 153 concatenated, extension characters cost two septets) or
 * UCS-2 (70 / 67 UTF-16 code units), escape and surrogate pairs never split across segments.
 */
import { smsEncoding, smsLength, smsSegments, truncateToSegments } from '../../src/templates/sms-segments';

describe('SMS encoding', () => {
  it('stays GSM-7 for plain English and the accented letters the GSM alphabet has', () => {
    expect(smsEncoding('Order 1001 has shipped. Track: https://ups.com/t?n=1Z999')).toBe('GSM-7');
    expect(smsEncoding('Café Müller: ÄÖÜäöüñÑéèàùìòÇØøÅåÆæß¿¡§£¥')).toBe('GSM-7');
    expect(smsEncoding('Total {€59.90} [a|b] ~^\\')).toBe('GSM-7'); // extension table
  });

  it('needs UCS-2 for one character outside it: Latvian, Hungarian ő, Cyrillic, Arabic, emoji, lower-case ç', () => {
    for (const text of [
      'Paldies par pasūtījumu',
      'Köszönjük a rendelését, ő',
      'Благодарим',
      'شكراً',
      'Thanks 🎉',
      'façade',
    ]) {
      expect(smsEncoding(text)).toBe('UCS-2');
    }
  });
});

describe('SMS segments', () => {
  it('counts GSM-7: 160 in one message, then 153 per segment', () => {
    expect(smsLength('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1, unitsPerSegment: 160 });
    expect(smsLength('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2, unitsPerSegment: 153 });
    expect(smsSegments('a'.repeat(306))).toBe(2);
    expect(smsSegments('a'.repeat(307))).toBe(3);
  });

  it('counts extension characters as two septets', () => {
    expect(smsLength('€'.repeat(80))).toMatchObject({ units: 160, segments: 1 });
    expect(smsLength('€'.repeat(81))).toMatchObject({ units: 162, segments: 2 });
    expect(smsLength('Total: €59.90')).toMatchObject({ encoding: 'GSM-7', units: 14, segments: 1 });
  });

  it('never splits an escape pair: 306 septets with a "€" on the boundary take 3 segments', () => {
    const text = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
    expect(smsLength(text)).toMatchObject({ units: 306, segments: 3 });
  });

  it('counts UCS-2 in UTF-16 code units: 70 in one message, then 67 per segment', () => {
    expect(smsLength('ā'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1, unitsPerSegment: 70 });
    expect(smsLength('ā'.repeat(71))).toEqual({ encoding: 'UCS-2', units: 71, segments: 2, unitsPerSegment: 67 });
    expect(smsSegments('Б'.repeat(134))).toBe(2);
    expect(smsSegments('Б'.repeat(135))).toBe(3);
  });

  it('counts an emoji as two code units and never splits it', () => {
    expect(smsLength('😀'.repeat(35))).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1 });
    // 36 emoji = 72 units; 33 fit a 67-unit segment (66 units), the other 3 go to the second.
    expect(smsLength('😀'.repeat(36))).toMatchObject({ units: 72, segments: 2 });
    // 134 units would fit two segments, but the pair cannot take the first segment's last unit: it moves, and so does
    // the rest.
    expect(smsLength(`${'a'.repeat(66)}😀${'a'.repeat(66)}`)).toMatchObject({ units: 134, segments: 3 });
  });

  it('turns a whole GSM-7 text into UCS-2 with a single character', () => {
    expect(smsLength(`${'a'.repeat(100)}ā`)).toMatchObject({ encoding: 'UCS-2', units: 101, segments: 2 });
  });

  it('counts nothing for an empty text', () => {
    expect(smsLength('')).toMatchObject({ units: 0, segments: 0 });
  });
});

describe('truncating to segments', () => {
  it('leaves a text that fits alone', () => {
    expect(truncateToSegments('short', 1)).toBe('short');
  });

  it('cuts GSM-7 text with "..." so it stays GSM-7', () => {
    const cut = truncateToSegments(`word `.repeat(80), 2);
    expect(cut.endsWith('...')).toBe(true);
    expect(smsLength(cut)).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(cut.length).toBeGreaterThan(290);
  });

  it('cuts UCS-2 text with "…" and never half an emoji', () => {
    const cut = truncateToSegments('😀'.repeat(100), 2);
    expect(cut.endsWith('…')).toBe(true);
    expect(smsSegments(cut)).toBe(2);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no lone high surrogate
  });
});
