import { DEFAULT_CATALOGUE } from '../domain/request-vocabulary';
import { loadConfig } from './app-config';

const base = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/db',
  ENCRYPTION_KEY: Buffer.from('unit-test-master-key-0123456789!').toString('base64'),
};

describe('the catalogue of known descriptive values', () => {
  it('defaults to the built-in lists', () => {
    expect(loadConfig(base, 'worker').requestCatalogue).toEqual(DEFAULT_CATALOGUE);
  });

  it('replaces one field’s list with its KNOWN_* variable and keeps the others', () => {
    const c = loadConfig({ ...base, KNOWN_PRODUCT_FEATURES: ' threat_detection, siem ,' }, 'worker').requestCatalogue;
    expect(c['poc_config.enabled_features']).toEqual(['threat_detection', 'siem']);
    expect(c['company_info.company_size']).toEqual(DEFAULT_CATALOGUE['company_info.company_size']);
  });

  it('refuses a KNOWN_* value outside the descriptive shape, naming the variable', () => {
    expect(() => loadConfig({ ...base, KNOWN_DATA_CONNECTORS: 'splunk,Bad Value' }, 'worker')).toThrow(
      /KNOWN_DATA_CONNECTORS/,
    );
  });
});
