import { toProvisionedEnvironment } from './environment-outputs';

const shown = (value: unknown) => ({ value, sensitive: false });
const secret = (value: unknown) => ({ value, sensitive: true });

describe('toProvisionedEnvironment', () => {
  it('splits outputs into resources and endpoints', () => {
    const env = toProvisionedEnvironment({
      vpc_network: shown({ name: 'acme-vpc', region: 'europe-west1' }),
      gke_cluster: shown({ name: 'acme-gke', node_count: 1 }),
      database_instance: shown({ name: 'acme-db', tier: 'db-custom-1-3840' }),
      api_endpoint: shown('https://api.acme.local.poc'),
      web_interface: shown('https://app.acme.local.poc'),
      monitoring_dashboard: shown('https://monitoring.acme.local.poc'),
    });
    expect(env).toEqual({
      resources: {
        vpc_network: { name: 'acme-vpc', region: 'europe-west1' },
        gke_cluster: { name: 'acme-gke', node_count: 1 },
        database_instance: { name: 'acme-db', tier: 'db-custom-1-3840' },
      },
      endpoints: {
        api_endpoint: 'https://api.acme.local.poc',
        web_interface: 'https://app.acme.local.poc',
        monitoring_dashboard: 'https://monitoring.acme.local.poc',
      },
    });
  });

  it('ignores outputs it does not know', () => {
    const env = toProvisionedEnvironment({ api_endpoint: shown('https://api'), kubeconfig_path: shown('/tmp/kube') });
    expect(env).toEqual({ resources: {}, endpoints: { api_endpoint: 'https://api' } });
  });

  it.each([
    ['a sensitive resource output', { database_instance: secret({ name: 'acme-db', password: 'S3CRET-db' }) }],
    ['a sensitive endpoint output', { monitoring_dashboard: secret('https://grafana/?token=S3CRET-url') }],
    ['an extra sensitive output', { admin_password: secret('S3CRET-admin') }],
  ])('never copies %s anywhere into the result', (_case, extra) => {
    const env = toProvisionedEnvironment({ vpc_network: shown({ name: 'acme-vpc' }), ...extra });
    expect(JSON.stringify(env)).not.toContain('S3CRET');
    expect(env.resources).toEqual({ vpc_network: { name: 'acme-vpc' } });
  });
});
