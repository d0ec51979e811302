/** Connecting clients and workers to Temporal as configured: local dev server, a self-hosted cluster (mTLS) or Temporal Cloud. */
import { readFileSync } from 'node:fs';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import type { Config } from '../config';
import { encryptedDataConverter } from './data-converter';

/** Options both `Connection.connect` (clients) and `NativeConnection.connect` (workers) accept. */
export function connectionOptions(temporal: Pick<Config['temporal'], 'address' | 'tls' | 'apiKey'>): { address: string; tls?: TLSConfig; apiKey?: string } {
  const { tls, apiKey, address } = temporal;
  const clientCert = tls?.certPath && tls.keyPath ? { crt: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) } : undefined;
  return {
    address,
    // An API key (Temporal Cloud) always travels over TLS.
    tls: tls || apiKey ? { clientCertPair: clientCert } : undefined,
    apiKey,
  };
}

export async function connectClient(temporal: Config['temporal']): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(temporal));
  return new Client({ connection, namespace: temporal.namespace, dataConverter: encryptedDataConverter(temporal.encryptionKeys) });
}
