import { DEFAULT_CATALOGUE, unknownDescriptiveValues } from './request-vocabulary';

describe('unknownDescriptiveValues', () => {
  const request = {
    company_info: { industry_vertical: 'financial_services', company_size: 'enterprise' },
    poc_config: { enabled_features: ['threat_detection', 'dark_web_monitoring'] },
    security_config: { security_clearance: 'unclassified', compliance_frameworks: ['soc2', 'cmmc'] },
    integration_config: { allowed_data_connectors: ['splunk'] },
  };

  it('names each value outside the catalogue with its field, and nothing else', () => {
    expect(unknownDescriptiveValues(request, DEFAULT_CATALOGUE)).toEqual([
      { field: 'poc_config.enabled_features', reason: '"dark_web_monitoring" is not in the known catalogue' },
      { field: 'security_config.compliance_frameworks', reason: '"cmmc" is not in the known catalogue' },
    ]);
  });

  it('finds nothing when optional groups are absent', () => {
    expect(unknownDescriptiveValues({ company_info: {}, poc_config: {} }, DEFAULT_CATALOGUE)).toEqual([]);
  });

  it('follows a configured catalogue', () => {
    const catalogue = { ...DEFAULT_CATALOGUE, 'company_info.company_size': ['1-10'] };
    expect(unknownDescriptiveValues(request, catalogue).map((i) => i.field)).toContain('company_info.company_size');
  });
});
