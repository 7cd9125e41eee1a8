import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JOB_STATUSES } from '../../src/domain/job-status';
import { startGateway, type ApiBody, type TestGateway } from '../support/gateway';

const COMMITTED = join(__dirname, '../../docs/openapi.json');

// The document the running gateway serves must be the committed one: a change to the API that
// is not reflected in docs/openapi.json fails here. `npm run openapi` rewrites the file (the
// answers' schemas come from the DTO classes in src/openapi/responses).
describe('the OpenAPI document', () => {
  let gateway: TestGateway;
  let served: ApiBody;

  beforeAll(async () => {
    gateway = await startGateway('openapi');
    const res = await fetch(`${gateway.base.replace(/\/v1$/, '')}/docs/openapi.json`);
    expect(res.status).toBe(200);
    served = await res.json();
    if (process.env.UPDATE_OPENAPI) {
      writeFileSync(COMMITTED, `${JSON.stringify(served, null, 2)}\n`);
      // Formatted as `npm run lint` wants it (the comparison below is of the parsed JSON).
      execFileSync(join(__dirname, '../../node_modules/.bin/prettier'), ['--write', COMMITTED]);
    }
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('is served as JSON and matches the committed docs/openapi.json', () => {
    expect(served).toEqual(JSON.parse(readFileSync(COMMITTED, 'utf8')));
  });

  it('documents every endpoint of the API', () => {
    expect(Object.keys(served.paths).sort()).toEqual([
      '/api/v1/codec/decode',
      '/api/v1/codec/encode',
      '/api/v1/health',
      '/api/v1/health/live',
      '/api/v1/health/ready',
      '/api/v1/metrics',
      '/api/v1/provisioning/jobs',
      '/api/v1/provisioning/jobs/{job_id}/cancel',
      '/api/v1/provisioning/jobs/{job_id}/credentials',
      '/api/v1/provisioning/jobs/{job_id}/destroy',
      '/api/v1/provisioning/jobs/{job_id}/events',
      '/api/v1/provisioning/jobs/{job_id}/extend',
      '/api/v1/provisioning/provision',
      '/api/v1/provisioning/status/{job_id}',
    ]);
  });

  it('describes the request from its validation rules: required fields, enums, nested objects', () => {
    const request = served.components.schemas.ProvisionRequestDto;
    expect(request.required).toEqual(
      expect.arrayContaining(['tenant_id', 'tenant_slug', 'company_info', 'poc_config']),
    );
    expect(request.properties.tenant_slug.pattern).toBeDefined();
    expect(request.properties.poc_config.$ref).toBe('#/components/schemas/PocConfigDto');
    expect(served.components.schemas.PocConfigDto.properties.poc_tier.enum).toEqual([
      'standard',
      'professional',
      'enterprise',
    ]);
  });

  it("describes the answers from their DTO classes: the seed's fields required, one JobStatus enum from the state machine", () => {
    const schemas = served.components.schemas;
    const answer = (path: string, method: string, status: string) =>
      served.paths[path][method].responses[status].content['application/json'].schema.$ref;
    expect(answer('/api/v1/provisioning/provision', 'post', '202')).toBe('#/components/schemas/SubmitAccepted');
    expect(answer('/api/v1/provisioning/status/{job_id}', 'get', '200')).toBe('#/components/schemas/JobStatusView');
    expect(answer('/api/v1/health', 'get', '503')).toBe('#/components/schemas/HealthReport');
    expect(schemas.SubmitAccepted.required).toEqual(
      expect.arrayContaining(['success', 'message', 'job_id', 'status', 'estimated_duration', 'progress_tracking_url']),
    );
    expect(schemas.JobStatusView.required).toEqual(
      expect.arrayContaining(['success', 'job_id', 'status', 'message', 'provisioned_resources', 'service_endpoints']),
    );
    expect(schemas.JobStatusView.properties.status.allOf).toEqual([{ $ref: '#/components/schemas/JobStatus' }]);
    expect(schemas.JobStatus.enum).toEqual([...JOB_STATUSES]);
    expect(schemas.ProvisionedResourceNames.properties.gke_cluster.type).toBe('string');
    expect(schemas.HealthState.enum).toEqual(['healthy', 'degraded', 'unhealthy']);
    expect(schemas.DatabaseState.enum).toEqual(['connected', 'disconnected']);
  });

  it('serves the interactive documentation at /api/docs without a key', async () => {
    const res = await fetch(`${gateway.base.replace(/\/v1$/, '')}/docs`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('swagger-ui');
  });
});
