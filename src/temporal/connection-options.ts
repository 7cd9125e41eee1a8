import { readFileSync } from 'node:fs';
import type { AppConfig } from '../config/app-config';

/** What both the client's and the worker's connections take (address, TLS, API key). */
export interface TemporalConnectionOptions {
  address: string;
  tls?: {
    serverNameOverride?: string;
    serverRootCACertificate?: Buffer;
    clientCertPair?: { crt: Buffer; key: Buffer };
  };
  apiKey?: string;
}

/**
 * Connection options of a Temporal cluster (mTLS) or Temporal Cloud (mTLS or API key); the dev
 * server gets a plain connection. Certificate files are read here, at connect time, so that a
 * rotated Secret is picked up by the next process.
 */
export function temporalConnectionOptions(
  t: AppConfig['temporal'],
  read: (path: string) => Buffer = readFileSync,
): TemporalConnectionOptions {
  if (!t.tls) return { address: t.address };
  const tls: NonNullable<TemporalConnectionOptions['tls']> = {};
  if (t.tls.serverName) tls.serverNameOverride = t.tls.serverName;
  if (t.tls.caFile) tls.serverRootCACertificate = read(t.tls.caFile);
  if (t.tls.certFile && t.tls.keyFile) tls.clientCertPair = { crt: read(t.tls.certFile), key: read(t.tls.keyFile) };
  return { address: t.address, tls, ...(t.apiKey ? { apiKey: t.apiKey } : {}) };
}
