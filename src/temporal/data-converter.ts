/** The one data converter of every client and worker: payloads encrypted with the configured key ring. */
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec, type EncryptionKey } from './encryption-codec';

export function encryptedDataConverter(keys: EncryptionKey[]): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keys)] };
}
