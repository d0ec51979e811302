/**
 * Connecting clients and workers to Temporal as configured: local dev server, a self-hosted cluster (mTLS) or Temporal
 * Cloud.
 */
import { readFileSync } from 'node:fs';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { encryptedDataConverter } from './data-converter';
import type { EncryptionKey } from './encryption-codec';

/** Where and how to reach Temporal (`Config['temporal']`, read from TEMPORAL_* and PAYLOAD_ENCRYPTION_KEYS). */
export interface TemporalSettings {
  /** host:port of the frontend service. */
  address: string;
  namespace: string;
  /** The journeys' task queue; the email and SMS queues are named after it (src/domain/task-queues.ts). */
  taskQueue: string;
  /** TLS to the server, with a client certificate (mTLS) when both paths are given. */
  tls?: { certPath?: string; keyPath?: string };
  /** Temporal Cloud API key; always sent over TLS. */
  apiKey?: string;
  /** Payload encryption keys, newest first. */
  encryptionKeys: EncryptionKey[];
  /**
   * How many journeys a worker keeps in memory between their tasks (the SDK's sticky cache). A journey not kept is
   * replayed from its history when it next wakes: a little CPU instead of memory.
   */
  maxCachedWorkflows?: number;
  /** A prebuilt workflow bundle for the worker to load (src/temporal/workflow-bundle.ts). */
  workflowBundlePath?: string;
}

/** Options both `Connection.connect` (clients) and `NativeConnection.connect` (workers) accept. */
export function connectionOptions(temporal: Pick<TemporalSettings, 'address' | 'tls' | 'apiKey'>): {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
} {
  const { tls, apiKey, address } = temporal;
  const clientCert =
    tls?.certPath && tls.keyPath ? { crt: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) } : undefined;
  return {
    address,
    // An API key (Temporal Cloud) always travels over TLS.
    tls: tls || apiKey ? { clientCertPair: clientCert } : undefined,
    apiKey,
  };
}

export async function connectClient(temporal: TemporalSettings): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(temporal));
  return new Client({
    connection,
    namespace: temporal.namespace,
    dataConverter: encryptedDataConverter(temporal.encryptionKeys),
  });
}
