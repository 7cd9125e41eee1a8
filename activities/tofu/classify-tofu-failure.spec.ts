import { classifyTofuFailure, type TofuFailure } from './classify-tofu-failure';

const failure = (summary: string, detail = '', over: Partial<TofuFailure> = {}): TofuFailure => ({
  verb: 'apply',
  exitCode: 1,
  diagnostics: [{ severity: 'error', summary, detail }],
  stderr: '',
  ...over,
});

const LOCAL_EXEC_DETAIL =
  "Error running command 'sleep 0 && test 'gke_cluster' != 'gke_cluster' && mkdir -p /tmp/envs/acme': exit status 1. Output: ";

describe('classifyTofuFailure', () => {
  it.each([
    [
      'a held state lock',
      'Error acquiring the state lock',
      'pq: lock already held by another process',
      'TOFU_STATE_LOCKED',
    ],
    [
      'a held gcs lock while init creates the state',
      'Error loading state',
      'writing "gs://b/p/default.tflock" failed: googleapi: Error 412: Precondition failed, conditionNotMet\nLock Info:\n  ID: 1',
      'TOFU_STATE_LOCKED',
    ],
    [
      'a network timeout',
      'Failed to query available provider packages',
      'dial tcp 10.0.0.1:443: i/o timeout',
      'TOFU_TRANSIENT',
    ],
    [
      'a refused connection',
      'Error creating Network',
      'dial tcp 127.0.0.1:5432: connect: connection refused',
      'TOFU_TRANSIENT',
    ],
    [
      'an HTTP 429 from the cloud API',
      'Error creating Cluster',
      'googleapi: Error 429: Too Many Requests',
      'TOFU_TRANSIENT',
    ],
    [
      'an HTTP 503 from the cloud API',
      'Error creating Instance',
      'googleapi: Error 503: Service Unavailable',
      'TOFU_TRANSIENT',
    ],
    [
      'an unsupported argument',
      'Unsupported argument',
      'An argument named "nodes" is not expected here.',
      'TOFU_CONFIGURATION_INVALID',
    ],
    [
      'an exceeded quota',
      'Error creating Network',
      "Quota 'NETWORKS' exceeded. Limit: 5.0 globally.",
      'TOFU_QUOTA_EXCEEDED',
    ],
    [
      "a GKE cluster's operation out of regional quota",
      'Error waiting for creating GKE cluster',
      "Insufficient regional quota to satisfy request: resource \"CPUS\": request requires '12.0' and is short '4.0'",
      'TOFU_QUOTA_EXCEEDED',
    ],
    [
      'a per-minute rate quota (429, worded with "quota metric")',
      'Error creating Instance',
      "googleapi: Error 429: Quota exceeded for quota metric 'Queries' and limit 'Queries per minute', rateLimitExceeded",
      'TOFU_TRANSIENT',
    ],
    [
      'a denied permission (403)',
      'Error creating Cluster',
      'googleapi: Error 403: Permission denied on resource',
      'TOFU_CONFIGURATION_INVALID',
    ],
    [
      'a provider missing from the read-only mirror',
      'Failed to query available provider packages',
      'Could not retrieve the list of available versions for provider example.com/engine/absent: provider example.com/engine/absent was not found\nin any of the search locations',
      'TOFU_CONFIGURATION_INVALID',
    ],
    ['a failed local-exec provisioner', 'local-exec provisioner error', LOCAL_EXEC_DETAIL, 'TOFU_RESOURCE_FAILED'],
    ['an error nobody has seen before', 'Something odd happened', '', 'TOFU_TRANSIENT'],
    [
      'state that could not be saved because Postgres went away',
      'Failed to save state',
      'Error saving state: dial tcp 127.0.0.1:5432: connect: connection refused',
      'DEPENDENCY_UNAVAILABLE',
    ],
    [
      'a state lock that cannot be taken because Postgres is down',
      'Error acquiring the state lock',
      'Error message: dial tcp 127.0.0.1:5432: connect: connection refused',
      'DEPENDENCY_UNAVAILABLE',
    ],
    [
      'state that cannot be loaded while Postgres restarts',
      'Error loading state',
      'pq: the database system is starting up',
      'DEPENDENCY_UNAVAILABLE',
    ],
    [
      "another tenant's resource in the way",
      'local-exec provisioner error',
      'simulated conflict creating vpc_network: resource already exists and belongs to another tenant (b2c3)',
      'RESOURCE_OWNED_BY_ANOTHER_TENANT',
    ],
    // What the local stack's localcloud provider answers (ADR 25), worded as googleapi errors.
    [
      'a 503 the local cloud injects',
      'failed to create cluster poc-acme-1a2b3c4d-gke',
      'googleapi: Error 503: The service is currently unavailable (injected fault), backendError',
      'TOFU_TRANSIENT',
    ],
    [
      'a 429 the local cloud injects',
      'failed to read network poc-acme-1a2b3c4d-vpc',
      "googleapi: Error 429: Rate limit exceeded for quota metric 'Write requests' (injected fault), rateLimitExceeded",
      'TOFU_TRANSIENT',
    ],
    [
      'a quota error the local cloud injects',
      'failed to create cluster poc-acme-1a2b3c4d-gke',
      "googleapi: Error 403: Quota 'CPUS' exceeded. Limit: 0.0 in region local (injected fault), quotaExceeded",
      'TOFU_QUOTA_EXCEEDED',
    ],
    [
      'a 400 the local cloud injects on a create',
      'failed to create database instance poc-acme-1a2b3c4d-db-503abc',
      "googleapi: Error 400: The request for 'projects/local/instances/poc-acme-1a2b3c4d-db-503abc' was refused (injected fault), badRequest",
      'TOFU_RESOURCE_FAILED',
    ],
    [
      'a delete the local cloud refuses for deletion protection',
      'failed to delete database instance poc-acme-1a2b3c4d-db-1f2e3d',
      "googleapi: Error 400: The resource 'projects/local/instances/poc-acme-1a2b3c4d-db-1f2e3d' has deletion protection enabled; turn it off before deleting it, failedPrecondition",
      'TOFU_RESOURCE_FAILED',
    ],
  ])('classifies %s as %s', (_case, summary, detail, code) => {
    expect(classifyTofuFailure(failure(summary, detail)).code).toBe(code);
  });

  it('classifies from stderr when tofu printed no diagnostics', () => {
    const err = classifyTofuFailure({
      verb: 'init',
      exitCode: 1,
      diagnostics: [],
      stderr: 'Error: Error acquiring the state lock\n',
    });
    expect(err.code).toBe('TOFU_STATE_LOCKED');
  });

  it('names the verb and the first diagnostic summary in the message', () => {
    const err = classifyTofuFailure({
      ...failure('Invalid value for variable', 'poc_tier must be one of ...'),
      verb: 'plan',
      diagnostics: [
        { severity: 'error', summary: 'Invalid value for variable' },
        { severity: 'error', summary: 'Second problem' },
      ],
    });
    expect(err.message).toBe('tofu plan failed: Invalid value for variable');
  });

  it('keeps verb, exit code and every diagnostic as context', () => {
    const err = classifyTofuFailure(
      failure('local-exec provisioner error', LOCAL_EXEC_DETAIL, {
        exitCode: 1,
        diagnostics: [
          {
            severity: 'error',
            summary: 'local-exec provisioner error',
            detail: LOCAL_EXEC_DETAIL,
            address: 'module.poc.terraform_data.gke_cluster',
          },
        ],
      }),
    );
    expect(err.context).toEqual({
      verb: 'apply',
      exit_code: 1,
      diagnostics: [
        {
          summary: 'local-exec provisioner error',
          detail: LOCAL_EXEC_DETAIL,
          address: 'module.poc.terraform_data.gke_cluster',
        },
      ],
    });
  });

  it('uses the last line of stderr as the message when there are no diagnostics', () => {
    const err = classifyTofuFailure({
      verb: 'init',
      exitCode: 1,
      diagnostics: [],
      stderr: 'Initializing the backend...\nError: pq: SSL is not enabled on the server\n\n',
    });
    expect(err.message).toBe('tofu init failed: Error: pq: SSL is not enabled on the server');
  });

  it('classifies a resource whose name is taken as permanent, but not a backend race that says "already exists"', () => {
    const taken = classifyTofuFailure({
      ...failure(
        "Error creating Network: googleapi: Error 409: The resource 'projects/p/global/networks/n' already exists, alreadyExists",
      ),
      diagnostics: [
        {
          severity: 'error',
          summary:
            "Error creating Network: googleapi: Error 409: The resource 'projects/p/global/networks/n' already exists, alreadyExists",
          address: 'module.poc.google_compute_network.vpc',
        },
      ],
    });
    expect(taken.code).toBe('TOFU_RESOURCE_FAILED');
    expect(classifyTofuFailure(failure('Error creating schema', 'pq: schema "tfstate_x" already exists')).code).toBe(
      'TOFU_TRANSIENT',
    );
  });

  it('names the signal that killed tofu, never a made-up exit code', () => {
    const err = classifyTofuFailure({ verb: 'apply', exitCode: null, signal: 'SIGKILL', diagnostics: [], stderr: '' });
    expect(err.message).toBe('tofu apply was killed by SIGKILL');
    expect(err.code).toBe('TOFU_TRANSIENT');
    expect(err.context).toMatchObject({ signal: 'SIGKILL', exit_code: null });
  });

  it('reads stderr for a backend outage when tofu printed no diagnostics', () => {
    const err = classifyTofuFailure({
      verb: 'init',
      exitCode: 1,
      diagnostics: [],
      stderr: 'Error: Failed to get existing workspaces: dial tcp [::1]:5432: connect: connection refused\n',
    });
    expect(err.code).toBe('DEPENDENCY_UNAVAILABLE');
  });

  it('falls back to the exit code when neither diagnostics nor stderr say anything', () => {
    const err = classifyTofuFailure({ verb: 'destroy', exitCode: 137, diagnostics: [], stderr: '  \n' });
    expect(err.message).toBe('tofu destroy failed: exit code 137');
  });
});
