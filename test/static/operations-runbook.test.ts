// The runbook's commands (docs/operations.md) against the values they install
// (ci/gke-production-values.yaml) and the chart they render: the same projects, identities,
// buckets, address ranges and names, the APIs each project needs, the migration before the
// release, Cloud SQL TLS, and a database connection budget that fits max_connections.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { dataSourceOptions } from '../../src/persistence/data-source-options';

const root = join(__dirname, '..', '..');
const chartDir = join(root, 'helm', 'poc-provisioning-engine');
const valuesFile = join(chartDir, 'ci', 'gke-production-values.yaml');
const runbook = readFileSync(join(root, 'docs', 'operations.md'), 'utf8');
const values = parse(readFileSync(valuesFile, 'utf8'));

/** A rendered manifest: untyped JSON, as the API server receives it. */
type K8sObject = ReturnType<typeof JSON.parse>;
const NAMESPACE = 'poc-engine';
const objects: K8sObject[] = parseAllDocuments(
  execFileSync(
    join(root, '.tools', 'bin', 'helm'),
    ['template', 'poc-engine', chartDir, '--namespace', NAMESPACE, '-f', valuesFile],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  ),
)
  .map((d): K8sObject => d.toJS())
  .filter((o) => o !== null);
const ofKind = (kind: string, suffix = '') => objects.find((o) => o.kind === kind && o.metadata.name.endsWith(suffix))!;

/** The runbook's shell commands: the ```sh blocks, continuation lines joined. */
const commands: string[] = [...runbook.matchAll(/```sh\n([\s\S]*?)```/g)]
  .flatMap((m) => m[1].replace(/\\\n\s*/g, ' ').split('\n'))
  .map((line) => line.trim().replace(/\s+/g, ' '))
  .filter((line) => line && !line.startsWith('#'));
const gcloud = (prefix: string) => commands.filter((c) => c.startsWith(`gcloud ${prefix}`));
const flag = (command: string, name: string) =>
  command.match(new RegExp(`--${name}(?:=|\\s+)(?:'|")?([^\\s'"]+)`))?.[1];

const gsa: string = values.worker.serviceAccount.gcpServiceAccount;
const engineProject = gsa.match(/@([^.]+)\.iam\.gserviceaccount\.com$/)![1];
const tenantProject: string = values.config.gcpProjectId;

describe('the runbook against ci/gke-production-values.yaml', () => {
  it('names two projects: the engine’s (its service account, registry, cluster) and the tenants’ (config.gcpProjectId)', () => {
    expect([engineProject, tenantProject]).toEqual(['poc-prod', 'poc-prod-tenants']);
    expect(values.image.registry).toBe(`europe-west1-docker.pkg.dev/${engineProject}/engine`);
    expect(commands).toContain(`REG=${values.image.registry}`);
    const projects = new Set(commands.map((c) => flag(c, 'project')).filter(Boolean));
    expect([...projects].sort()).toEqual([engineProject, tenantProject].sort());
    expect(flag(gcloud('container clusters create')[0], 'workload-pool')).toBe(`${engineProject}.svc.id.goog`);
  });

  it('creates the worker’s Google service account in the engine’s project and binds it to the worker’s Kubernetes account', () => {
    const [name] = gsa.split('@');
    expect(gcloud('iam service-accounts create')).toEqual([
      `gcloud iam service-accounts create ${name} --project ${engineProject}`,
    ]);
    const workerAccount = ofKind('Deployment', '-worker').spec.template.spec.serviceAccountName;
    const binding = gcloud('iam service-accounts add-iam-policy-binding')[0];
    expect(binding).toContain(`add-iam-policy-binding ${gsa} --project ${engineProject}`);
    expect(binding).toContain(`--member "serviceAccount:${engineProject}.svc.id.goog[${NAMESPACE}/${workerAccount}]"`);
    expect(binding).toContain('--role roles/iam.workloadIdentityUser');
    // Every other member the runbook grants to is that service account.
    const members = commands.flatMap((c) =>
      [...c.matchAll(/--member\s+"?serviceAccount:([^\s"]+)"?/g)].map((m) => m[1]),
    );
    expect(new Set(members.filter((m) => !m.includes('.svc.id.goog[')))).toEqual(new Set([gsa]));
  });

  it('grants the roles for what tofu creates on the tenants’ project, never on the engine’s', () => {
    const projectBindings = gcloud('projects add-iam-policy-binding');
    expect(projectBindings.length).toBeGreaterThanOrEqual(2);
    for (const c of projectBindings)
      expect(c).toMatch(new RegExp(`^gcloud projects add-iam-policy-binding ${tenantProject} `));
    const loop = runbook.match(/for role in ([\s\S]*?); do/)![1].replace(/\\\n\s*/g, ' ');
    expect(loop.split(/\s+/).filter(Boolean)).toEqual(
      expect.arrayContaining(['roles/container.admin', 'roles/cloudsql.admin', 'roles/compute.networkAdmin']),
    );
  });

  it('creates the state and artifact buckets of the values in the engine’s project and grants them to the worker bucket by bucket', () => {
    const buckets = [values.config.state.gcsBucket, values.config.artifactsBucket];
    for (const bucket of buckets) {
      expect(gcloud(`storage buckets create gs://${bucket} `).map((c) => flag(c, 'project'))).toEqual([engineProject]);
    }
    expect(runbook).toContain(`for bucket in ${buckets.join(' ')}; do`);
    expect(gcloud('storage buckets add-iam-policy-binding')[0]).toContain('--role roles/storage.objectAdmin');
  });

  it('grants the worker use of the KMS key, on the key, in the engine’s project', () => {
    const [binding] = gcloud('kms keys add-iam-policy-binding');
    expect(flag(binding, 'project')).toBe(engineProject);
    expect(binding).toContain('--role roles/cloudkms.cryptoKeyEncrypterDecrypter');
    expect(gcloud('kms keyrings create').map((c) => flag(c, 'project'))).toEqual([engineProject]);
  });

  it('enables the APIs each project’s resources need', () => {
    const enabled = (project: string) =>
      gcloud('services enable')
        .filter((c) => flag(c, 'project') === project)
        .flatMap((c) => c.split(/\s+/).filter((w) => w.endsWith('.googleapis.com')));
    expect(enabled(engineProject)).toEqual(
      expect.arrayContaining([
        'container.googleapis.com',
        'sqladmin.googleapis.com',
        'servicenetworking.googleapis.com',
        'artifactregistry.googleapis.com',
        'storage.googleapis.com',
        'iamcredentials.googleapis.com',
        'cloudkms.googleapis.com',
        'dns.googleapis.com',
      ]),
    );
    expect(enabled(tenantProject)).toEqual(
      expect.arrayContaining([
        'compute.googleapis.com',
        'container.googleapis.com',
        'sqladmin.googleapis.com',
        'iam.googleapis.com',
        'cloudresourcemanager.googleapis.com',
        'cloudasset.googleapis.com',
      ]),
    );
  });

  it('puts Cloud SQL in the range the NetworkPolicies open, and the DATABASE_URL host inside it', () => {
    const [cidr] = values.networkPolicy.egress.database.cidrs as string[];
    const range = gcloud('compute addresses create google-managed-services')[0];
    expect(`${flag(range, 'addresses')}/${flag(range, 'prefix-length')}`).toBe(cidr);
    const url = new URL(runbook.match(/--from-literal=url='([^']+)'/)![1]);
    const [base, bits] = cidr.split('/');
    const asNumber = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
    const mask = 2 ** 32 - 2 ** (32 - Number(bits));
    expect((asNumber(url.hostname) & mask) >>> 0).toBe(asNumber(base));
    expect(Number(url.port)).toBe(values.networkPolicy.egress.database.port);
  });

  it('makes Cloud SQL refuse plain connections and DATABASE_URL verify the server with the CA the chart mounts', () => {
    expect(flag(gcloud('sql instances create')[0], 'ssl-mode')).toBe('ENCRYPTED_ONLY');
    const url = new URL(runbook.match(/--from-literal=url='([^']+)'/)![1]);
    expect(url.searchParams.get('sslmode')).toBe('verify-ca');
    expect(url.searchParams.get('uselibpqcompat')).toBe('true');
    const { name, key } = values.secrets.databaseCa;
    expect(commands).toContain(`kubectl -n ${NAMESPACE} create secret generic ${name} --from-file=${key}=${key}`);
    for (const o of objects.filter((o) => o.kind === 'Deployment' || o.kind === 'Job')) {
      const pod = o.spec.template.spec;
      const mount = pod.containers[0].volumeMounts.find((m: K8sObject) => m.name === 'database-ca');
      const volume = pod.volumes.find((v: K8sObject) => v.name === 'database-ca');
      expect({ owner: o.metadata.name, readOnly: mount?.readOnly, secret: volume?.secret.secretName }).toEqual({
        owner: o.metadata.name,
        readOnly: true,
        secret: name,
      });
      expect(url.searchParams.get('sslrootcert')).toBe(`${mount.mountPath}/${volume.secret.items[0].path}`);
    }
  });

  it('creates the database and the Secrets before the install, whose migration hook runs before the release’s objects', () => {
    const at = (text: string) => commands.findIndex((c) => c.includes(text));
    const install = at('helm upgrade --install');
    expect(at('gcloud sql databases create')).toBeLessThan(install);
    expect(at(`create secret generic ${values.secrets.databaseUrl.name}`)).toBeLessThan(install);
    expect(at(`create secret generic ${values.secrets.databaseCa.name}`)).toBeLessThan(install);
    expect(ofKind('Job').metadata.annotations['helm.sh/hook']).toBe('pre-install,pre-upgrade');
  });

  it('reserves the static address and the host the Ingress names', () => {
    expect(gcloud(`compute addresses create ${values.gateway.ingress.staticIpName} `)).toHaveLength(1);
    expect(runbook).toContain(`https://${values.gateway.ingress.host}/api/v1/health`);
  });

  it('sizes max_connections for every pool at the most replicas the autoscalers allow', () => {
    const maxConnections = Number(flag(gcloud('sql instances create')[0], 'database-flags')!.split('=')[1]);
    const pool = (dataSourceOptions('postgres://u:p@h/db') as { extra: { max: number } }).extra.max;
    const gateways = ofKind('HorizontalPodAutoscaler', '-gateway').spec.maxReplicas as number;
    const workers = ofKind('ScaledObject', '-worker').spec.maxReplicaCount as number;
    const stateConnectionsPerStep = values.config.state.backend === 'pg' ? values.config.maxConcurrentProvisions : 0;
    // Each worker: its pool, the state backend check before a step, and (pg backend) a lock per running step.
    const total = gateways * pool + workers * (pool + 1 + stateConnectionsPerStep) + pool;
    const superuserReserved = 3; // Postgres' superuser_reserved_connections default
    expect(total).toBeLessThanOrEqual(maxConnections - superuserReserved);
    expect(runbook).toContain(`| ${total} (of \`max_connections=${maxConnections}\`, step 3) |`);
  });
});
