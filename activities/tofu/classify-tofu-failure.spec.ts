import { classifyTofuFailure, type TofuFailure } from './classify-tofu-failure';

const failure = (summary: string, detail = '', over: Partial<TofuFailure> = {}): TofuFailure => ({
  verb: 'apply',
  exitCode: 1,
  diagnostics: [{ severity: 'error', summary, detail }],
  stderr: '',
  ...over,
});

describe('classifyTofuFailure', () => {
  it.each([
    ['Error acquiring the state lock', 'pq: lock already held', 'TOFU_STATE_LOCKED'],
    ['Failed to query', 'dial tcp 10.0.0.1:443: i/o timeout', 'TOFU_TRANSIENT'],
    ['Error creating instance', 'googleapi: Error 503: Service Unavailable', 'TOFU_TRANSIENT'],
    ['Error creating cluster', 'googleapi: Error 429: rate limit exceeded', 'TOFU_TRANSIENT'],
    ['Unsupported argument', 'An argument named "nodes" is not expected here.', 'TOFU_CONFIGURATION_INVALID'],
    ['Error creating network', 'googleapi: Error 403: Quota NETWORKS exceeded', 'TOFU_CONFIGURATION_INVALID'],
    [
      'local-exec provisioner error',
      "Error running command 'sleep 0 && test 'gke_cluster' != 'gke_cluster' && mkdir -p /x': exit status 1. Output: ",
      'TOFU_RESOURCE_FAILED',
    ],
    ['Something nobody has seen before', '', 'TOFU_TRANSIENT'],
  ])('classifies "%s" (%s) as %s', (summary, detail, code) => {
    expect(classifyTofuFailure(failure(summary, detail)).code).toBe(code);
  });

  it('names the verb and the first diagnostic in the message and keeps the diagnostics as context', () => {
    const err = classifyTofuFailure(failure('Invalid value for variable', 'poc_tier must be one of ...'));
    expect(err.message).toBe('tofu apply failed: Invalid value for variable');
    expect(err.context).toMatchObject({
      verb: 'apply',
      exit_code: 1,
      diagnostics: [{ summary: 'Invalid value for variable', detail: 'poc_tier must be one of ...' }],
    });
  });

  it('falls back to the last line of stderr when tofu printed no diagnostics', () => {
    const err = classifyTofuFailure({
      verb: 'init',
      exitCode: 1,
      diagnostics: [],
      stderr: 'Initializing the backend...\nError: pq: SSL is not enabled on the server\n',
    });
    expect(err.message).toBe('tofu init failed: Error: pq: SSL is not enabled on the server');
  });
});
