import type { AppConfig } from '../config/app-config';
import { temporalConnectionOptions } from './connection-options';

const base: AppConfig['temporal'] = {
  address: 'ns.a1b2c.tmprl.cloud:7233',
  namespace: 'ns',
  taskQueue: 'q',
  tls: null,
};
const files: Record<string, string> = { '/tls/ca.crt': 'CA', '/tls/tls.crt': 'CERT', '/tls/tls.key': 'KEY' };
const read = (path: string) => {
  if (!(path in files)) throw new Error(`no such file ${path}`);
  return Buffer.from(files[path]);
};

describe('temporalConnectionOptions', () => {
  it('connects in plain text to a dev server', () => {
    expect(temporalConnectionOptions(base, read)).toEqual({ address: base.address });
  });

  it('presents the client certificate pair and trusts the given CA for mTLS', () => {
    const opts = temporalConnectionOptions(
      {
        ...base,
        tls: { certFile: '/tls/tls.crt', keyFile: '/tls/tls.key', caFile: '/tls/ca.crt', serverName: 'temporal' },
      },
      read,
    );
    expect(opts.tls).toEqual({
      serverNameOverride: 'temporal',
      serverRootCACertificate: Buffer.from('CA'),
      clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') },
    });
    expect(opts.apiKey).toBeUndefined();
  });

  it('sends an API key over TLS with the system CAs for Temporal Cloud', () => {
    expect(temporalConnectionOptions({ ...base, tls: {}, apiKey: 'cloud-key' }, read)).toEqual({
      address: base.address,
      tls: {},
      apiKey: 'cloud-key',
    });
  });

  it('fails at connect time when a certificate file is missing', () => {
    expect(() => temporalConnectionOptions({ ...base, tls: { caFile: '/nope' } }, read)).toThrow(/no such file/);
  });
});
