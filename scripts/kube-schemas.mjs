#!/usr/bin/env node
// Strict JSON schemas for kubeconform, made offline (test/static/strict-manifests.test.ts).
//
// Kubernetes' own kinds come from the OpenAPI document inside the k8s.io/kubernetes Go module
// (api/openapi-spec/swagger.json); the custom resources the chart may render come from the CRD
// YAMLs inside their projects' Go modules (prometheus-operator, KEDA, cert-manager, Gateway API). GKE's CRDs
// (ManagedCertificate, BackendConfig, FrontendConfig, HealthCheckPolicy) are in no Go module the proxy serves, so a
// compact schema of their documented fields is kept in scripts/kube-schemas/gke-crds.yaml.
// Every module comes through `go mod download` (the Go module proxy), nothing else is fetched.
//
// Each kind becomes one standalone file <dir>/<group>/<kind>_<version>.json (group "v1" for the
// core group, as kubeconform's {{ .Group }} names it), in which every object with declared
// properties refuses any other property (additionalProperties: false), except where the API
// itself keeps unknown fields (x-kubernetes-preserve-unknown-fields). Run by `npm run tools`.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const kubeSchemaDir = process.env.KUBE_SCHEMA_DIR ?? join(root, '.tools', 'kube-schemas');
/** kubeconform's -schema-location for these files. */
export const kubeSchemaLocation = `${kubeSchemaDir}/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`;

/** The Kubernetes release whose API the manifests are checked against (helm renders for 1.36). */
export const KUBERNETES = { module: 'k8s.io/kubernetes', version: '1.36.3' };
/** The CRDs, pinned: module, version, CRD files in the module. */
export const CRD_MODULES = [
  {
    module: 'github.com/prometheus-operator/prometheus-operator',
    version: '0.85.0',
    files: ['servicemonitors', 'podmonitors', 'prometheusrules'].map(
      (n) => `example/prometheus-operator-crd/monitoring.coreos.com_${n}.yaml`,
    ),
  },
  {
    module: 'github.com/kedacore/keda/v2',
    version: '2.21.0',
    files: ['scaledobjects', 'triggerauthentications'].map((n) => `config/crd/bases/keda.sh_${n}.yaml`),
  },
  {
    module: 'github.com/cert-manager/cert-manager',
    version: '1.21.2',
    files: ['certificates', 'issuers'].map((n) => `deploy/crds/cert-manager.io_${n}.yaml`),
  },
  {
    module: 'sigs.k8s.io/gateway-api',
    version: '1.6.3',
    files: ['httproutes', 'gateways'].map((n) => `config/crd/standard/gateway.networking.k8s.io_${n}.yaml`),
  },
];
const VENDORED_CRDS = join(root, 'scripts', 'kube-schemas', 'gke-crds.yaml');
const STAMP = join(kubeSchemaDir, '.sources.json');

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const REF = '#/definitions/';

async function runGo(cmd, args, options) {
  try {
    return await run(cmd, args, options);
  } catch (err) {
    if (err.code === 'ENOENT') throw new Error('the schemas are made from Go modules: install Go (https://go.dev/dl)');
    // go mod download -json reports a module it cannot fetch in its output, with a non-zero exit.
    if (err.stdout) return { stdout: err.stdout };
    throw err;
  }
}

/** Where `go mod download` put a module (downloading it through the module proxy if needed). */
async function moduleDir(module, version) {
  const work = await mkdtemp(join(tmpdir(), 'kube-schemas-'));
  try {
    const { stdout } = await runGo('go', ['mod', 'download', '-json', `${module}@v${version}`], {
      cwd: work, // outside any Go module
      env: { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'local' },
      maxBuffer: 16 * 1024 * 1024,
    });
    const info = JSON.parse(stdout);
    if (!info.Dir) throw new Error(`go mod download ${module}@v${version}: ${info.Error ?? 'no directory'}`);
    return info.Dir;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * A schema node made strict and portable: descriptions and formats dropped (size; formats such
 * as int32 are no JSON Schema formats), declared properties closed, optional values nullable
 * (the API server reads null as absent, and Helm renders empty blocks so).
 */
export function strict(node) {
  if (Array.isArray(node)) return node.map(strict);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' || key === 'format' || key.startsWith('x-kubernetes-')) continue;
    if (key === 'properties' || key === 'definitions' || key === 'patternProperties') {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nullable(strict(v))]));
    } else {
      out[key] = strict(value);
    }
  }
  if (node.properties && node.additionalProperties === undefined && !node['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  // CRDs: controller-gen writes int-or-string as an anyOf; the flag alone means the same.
  if (node['x-kubernetes-int-or-string'] && !node.anyOf && !node.oneOf) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  return out;
}

function nullable(node) {
  if (typeof node.type === 'string') return { ...node, type: [node.type, 'null'] };
  return node;
}

/** Every definition reachable from `name` through $ref. */
function reachable(definitions, name, found = new Set()) {
  if (found.has(name)) return found;
  found.add(name);
  const walk = (node) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      if (typeof node.$ref === 'string' && node.$ref.startsWith(REF))
        reachable(definitions, node.$ref.slice(REF.length), found);
      Object.values(node).forEach(walk);
    }
  };
  walk(definitions[name]);
  return found;
}

/** The Kubernetes OpenAPI definitions, with the types whose JSON form is wider than declared. */
function kubernetesDefinitions(swagger) {
  const definitions = { ...swagger.definitions };
  definitions[INT_OR_STRING] = { anyOf: [{ type: 'integer' }, { type: 'string' }] };
  definitions[QUANTITY] = { anyOf: [{ type: 'number' }, { type: 'string' }] };
  return definitions;
}

function standalone(root, definitions, names, apiVersion, kind) {
  const schema = strict(root);
  schema.properties = {
    ...schema.properties,
    apiVersion: { enum: [apiVersion] },
    kind: { enum: [kind] },
  };
  schema.required = [...new Set([...(schema.required ?? []), 'apiVersion', 'kind'])];
  schema.definitions = Object.fromEntries([...names].sort().map((n) => [n, strict(definitions[n])]));
  return schema;
}

const fileOf = (group, version, kind) => join(kubeSchemaDir, group || version, `${kind.toLowerCase()}_${version}.json`);

async function write(path, schema) {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(schema));
}

/** One schema per group/version/kind of the Kubernetes API. */
async function kubernetesSchemas(definitions) {
  let count = 0;
  for (const [name, def] of Object.entries(definitions)) {
    for (const { group, version, kind } of def['x-kubernetes-group-version-kind'] ?? []) {
      const apiVersion = group ? `${group}/${version}` : version;
      const names = reachable(definitions, name);
      names.delete(name);
      await write(fileOf(group, version, kind), standalone(def, definitions, names, apiVersion, kind));
      count += 1;
    }
  }
  return count;
}

/** One schema per served version of each CRD; metadata is Kubernetes' ObjectMeta. */
async function crdSchemas(texts, definitions) {
  const metaNames = reachable(definitions, OBJECT_META);
  let count = 0;
  for (const text of texts) {
    for (const doc of parseAllDocuments(text)) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      const { group, names } = crd.spec;
      for (const v of crd.spec.versions) {
        const openApi = v.schema?.openAPIV3Schema;
        if (!openApi || v.served === false) continue;
        const root = { ...openApi, properties: { ...openApi.properties, metadata: { $ref: `${REF}${OBJECT_META}` } } };
        await write(
          fileOf(group, v.name, names.kind),
          standalone(root, definitions, metaNames, `${group}/${v.name}`, names.kind),
        );
        count += 1;
      }
    }
  }
  return count;
}

/** Generates the schemas unless those of the pinned sources are there already; returns whether it did. */
export async function ensureKubeSchemas({ log = console.error } = {}) {
  const vendored = await readFile(VENDORED_CRDS, 'utf8');
  const sources = JSON.stringify({
    KUBERNETES,
    CRD_MODULES,
    vendored: createHash('sha256').update(vendored).digest('hex'),
    generator: 1,
  });
  if (existsSync(STAMP) && (await readFile(STAMP, 'utf8')) === sources) return false;
  const started = Date.now();
  log('tools: generating strict Kubernetes and CRD schemas for kubeconform (go mod download)...');
  await rm(kubeSchemaDir, { recursive: true, force: true });
  const k8sDir = await moduleDir(KUBERNETES.module, KUBERNETES.version);
  const swagger = JSON.parse(await readFile(join(k8sDir, 'api', 'openapi-spec', 'swagger.json'), 'utf8'));
  const definitions = kubernetesDefinitions(swagger);
  const kinds = await kubernetesSchemas(definitions);
  const texts = [vendored];
  for (const m of CRD_MODULES) {
    const dir = await moduleDir(m.module, m.version);
    for (const f of m.files) texts.push(await readFile(join(dir, f), 'utf8'));
  }
  const crds = await crdSchemas(texts, definitions);
  await writeFile(STAMP, sources);
  log(`tools: ${kinds} Kubernetes and ${crds} CRD schemas in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--location') {
  console.log(JSON.stringify({ dir: kubeSchemaDir, location: kubeSchemaLocation }));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureKubeSchemas().catch((err) => {
    console.error(`kube-schemas: ${err.message}`);
    process.exit(1);
  });
}
