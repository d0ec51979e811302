import { randomBytes } from 'node:crypto';
import { DefaultPayloadConverter } from '@temporalio/common';
import {
  ENCRYPTED_ENCODING,
  EncryptionCodec,
  KEY_ID_METADATA,
  parseKeyRing,
  UnknownEncryptionKeyError,
} from '../../src/temporal/encryption-codec';

const converter = new DefaultPayloadConverter();
const order = { orderId: '1001', email: 'anna.berzina@example.com', phone: '+37126000000' };
const key = (id: string) => ({ id, key: randomBytes(32) });
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

describe('payload encryption', () => {
  it('round-trips a payload and leaves no personal data readable in the encoded bytes', async () => {
    const codec = new EncryptionCodec([key('k1')]);
    const [encoded] = await codec.encode([converter.toPayload(order)]);
    expect(text(encoded!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encoded!.metadata![KEY_ID_METADATA])).toBe('k1');
    expect(Buffer.from(encoded!.data!).includes('anna.berzina')).toBe(false);
    expect(Buffer.from(encoded!.data!).includes('+37126000000')).toBe(false);

    const [decoded] = await codec.decode([encoded!]);
    expect(converter.fromPayload(decoded!)).toEqual(order);
  });

  it('rotates keys: new payloads use the newest key, payloads of the old key still decode', async () => {
    const k1 = key('k1');
    const k2 = key('k2');
    const [old] = await new EncryptionCodec([k1]).encode([converter.toPayload(order)]);
    const rotated = new EncryptionCodec([k2, k1]);
    const [fresh] = await rotated.encode([converter.toPayload(order)]);
    expect(text(fresh!.metadata![KEY_ID_METADATA])).toBe('k2');
    const decoded = await rotated.decode([old!, fresh!]);
    expect(decoded.map((p) => converter.fromPayload(p))).toEqual([order, order]);
  });

  it('never reuses an IV, across several refills of its pool of random bytes', async () => {
    const codec = new EncryptionCodec([key('k1')]);
    const payload = converter.toPayload(order);
    const encoded = await codec.encode(Array.from({ length: 1_500 }, () => payload));
    const ivs = new Set(encoded.map((p) => Buffer.from(p.data!).subarray(0, 12).toString('hex')));
    expect(ivs.size).toBe(1_500);
    const decoded = await codec.decode(encoded.slice(-3));
    expect(decoded.map((p) => converter.fromPayload(p))).toEqual([order, order, order]);
  });

  it('passes through payloads written before encryption was turned on', async () => {
    const legacy = converter.toPayload(order);
    const [decoded] = await new EncryptionCodec([key('k1')]).decode([legacy]);
    expect(converter.fromPayload(decoded!)).toEqual(order);
  });

  it('refuses a payload of a key that left the ring, and a tampered payload', async () => {
    const [encoded] = await new EncryptionCodec([key('gone')]).encode([converter.toPayload(order)]);
    await expect(new EncryptionCodec([key('k1')]).decode([encoded!])).rejects.toBeInstanceOf(UnknownEncryptionKeyError);

    const codec = new EncryptionCodec([key('k1')]);
    const [sealed] = await codec.encode([converter.toPayload(order)]);
    const tampered = Buffer.from(sealed!.data!);
    tampered[20] = tampered[20]! ^ 0xff;
    await expect(codec.decode([{ ...sealed!, data: tampered }])).rejects.toThrow(/authenticate/);
  });

  it('reads a key ring from configuration, newest first', () => {
    const a = randomBytes(32).toString('base64');
    const b = randomBytes(32).toString('base64');
    expect(parseKeyRing(`2026-11:${a}, 2026-05:${b}`).map((k) => k.id)).toEqual(['2026-11', '2026-05']);
    expect(() => parseKeyRing(`short:${randomBytes(16).toString('base64')}`)).toThrow('must decode to 32 bytes');
    expect(() => parseKeyRing(`dup:${a},dup:${b}`)).toThrow('unique');
    expect(() => parseKeyRing('nokey')).toThrow('<id>:<base64 key>');
  });
});
