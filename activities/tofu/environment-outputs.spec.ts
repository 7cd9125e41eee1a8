import { toProvisionedEnvironment } from './environment-outputs';

describe('toProvisionedEnvironment', () => {
  it('splits outputs into resources and endpoints and ignores unknown ones', () => {
    const env = toProvisionedEnvironment({
      vpc_network: { value: { name: 'acme-vpc' }, sensitive: false },
      gke_cluster: { value: { name: 'acme-gke' }, sensitive: false },
      api_endpoint: { value: 'https://api.acme', sensitive: false },
      web_interface: { value: 'https://app.acme', sensitive: false },
      something_else: { value: 42, sensitive: false },
    });
    expect(env).toEqual({
      resources: { vpc_network: { name: 'acme-vpc' }, gke_cluster: { name: 'acme-gke' } },
      endpoints: { api_endpoint: 'https://api.acme', web_interface: 'https://app.acme' },
    });
  });

  it('never copies a sensitive output anywhere', () => {
    const env = toProvisionedEnvironment({
      database_instance: { value: { password: 's3cr3t-db' }, sensitive: true },
      monitoring_dashboard: { value: 'https://grafana?token=s3cr3t-url', sensitive: true },
      api_endpoint: { value: 'https://api.acme', sensitive: false },
    });
    expect(JSON.stringify(env)).not.toMatch(/s3cr3t/);
    expect(env.endpoints).toEqual({ api_endpoint: 'https://api.acme' });
  });
});
