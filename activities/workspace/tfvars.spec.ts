import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { POC_TIERS } from '../../src/domain/poc-tier';
import type { ProvisionRequest } from '../../src/domain/provision-request';
import { TIER_SIZING } from '../../src/domain/tier-sizing';
import { buildTfvars } from './tfvars';

const request = (tier: ProvisionRequest['poc_config']['poc_tier']): ProvisionRequest => ({
  tenant_id: '2f1c6a8e-1d2b-4c3d-9e8f-0a1b2c3d4e5f',
  tenant_slug: 'acme',
  company_info: { company_name: 'Acme' },
  poc_config: { poc_tier: tier, expires_at: '2030-01-01T00:00:00Z' },
  priority: 'standard',
});
const opts = {
  environmentRoot: '/envs',
  simulation: { applyDelaySeconds: 3, failResource: 'gke_cluster', transientFailures: 2 },
};

describe('buildTfvars', () => {
  it("carries none of the request's personal fields: workspaces, state labels and artifacts never hold them", () => {
    const personal = {
      company_name: 'ACME Cybersecurity Inc.',
      contact_email: 'john@acme.test',
      contact_name: 'John Smith',
    };
    const r = request('enterprise');
    const text = JSON.stringify([
      buildTfvars({ ...r, company_info: { ...r.company_info, ...personal } }, opts),
      buildTfvars(
        { ...r, company_info: { ...r.company_info, ...personal } },
        { ...opts, stack: 'gcp', projectId: 'p-123456' },
      ),
    ]);
    for (const value of Object.values(personal)) expect(text).not.toContain(value);
  });

  it.each(POC_TIERS)('sizes the %s tier from its tier sizing', (tier) => {
    const vars = buildTfvars(request(tier), opts);
    expect(vars).toMatchObject({
      node_count: TIER_SIZING[tier].nodeCount,
      machine_type: TIER_SIZING[tier].machineType,
      database_tier: TIER_SIZING[tier].databaseTier,
      poc_tier: tier,
    });
  });

  it('gives enterprise more nodes than standard', () => {
    expect(buildTfvars(request('enterprise'), opts).node_count).toBeGreaterThan(
      buildTfvars(request('standard'), opts).node_count as number,
    );
  });

  it("passes the tenant's product features as product_features and optional infrastructure from tier and monitoring", () => {
    const r = request('enterprise');
    const vars = buildTfvars(
      {
        ...r,
        poc_config: { ...r.poc_config, enabled_features: ['threat_detection', 'email_security'] },
        monitoring_config: { enabled: true },
      },
      opts,
    );
    expect(vars.product_features).toEqual(['threat_detection', 'email_security']);
    expect(vars.enabled_features).toEqual(['backups', 'high_availability', 'monitoring']);
  });

  it('labels resources with the tenant slug and the tier', () => {
    expect(buildTfvars(request('professional'), opts).labels).toEqual({
      tenant: 'acme',
      tier: 'professional',
      managed_by: 'poc-provisioning-engine',
    });
  });

  it('passes the tenant, expiry, environment root and simulation knobs through', () => {
    expect(buildTfvars(request('professional'), opts)).toMatchObject({
      tenant_id: '2f1c6a8e-1d2b-4c3d-9e8f-0a1b2c3d4e5f',
      tenant_slug: 'acme',
      expires_at: '2030-01-01T00:00:00Z',
      environment_root: '/envs',
      simulate_apply_delay_seconds: 3,
      simulate_failure_resource: 'gke_cluster',
      simulate_transient_failures: 2,
    });
  });

  it('sets only variables that the local-poc module declares', () => {
    const tf = readFileSync(join(__dirname, '../../terraform/modules/local-poc/variables.tf'), 'utf8');
    const declared = [...tf.matchAll(/variable "([a-z_]+)"/g)].map((m) => m[1]);
    expect(declared.length).toBeGreaterThan(5);
    expect(Object.keys(buildTfvars(request('standard'), opts)).filter((k) => !declared.includes(k))).toEqual([]);
  });

  it("gives the GCP stack its project and none of the local twin's variables", () => {
    const vars = buildTfvars(request('standard'), { ...opts, stack: 'gcp', projectId: 'poc-prod-123' });
    expect(vars.project_id).toBe('poc-prod-123');
    expect(Object.keys(vars).filter((k) => k.startsWith('simulate_') || k === 'environment_root')).toEqual([]);
  });

  it.each(['local', 'gcp'])('sets exactly the variables the %s stack declares', (stack) => {
    const tf = readFileSync(join(__dirname, `../../terraform/stacks/${stack}/variables.tf`), 'utf8');
    const declared = [...tf.matchAll(/variable "([a-z_]+)"/g)].map((m) => m[1]);
    const set = Object.keys(buildTfvars(request('standard'), { ...opts, stack, projectId: 'p-123456' }));
    expect(set.filter((k) => !declared.includes(k))).toEqual([]);
    // Every variable without a default in the stack is set.
    const required = [...tf.matchAll(/variable "([a-z_]+)" \{\n\s+type = [^\n]+\n\}/g)].map((m) => m[1]);
    expect(required.filter((k) => !set.includes(k))).toEqual([]);
  });
});
