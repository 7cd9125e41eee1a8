import { stackTofuEnv } from './tofu-context';

describe('stackTofuEnv', () => {
  it('runs the local stack’s own provider without plugin TLS', () => {
    expect(stackTofuEnv('local')).toEqual({ TF_DISABLE_PLUGIN_TLS: '1' });
  });

  it('keeps plugin TLS for the Google stack’s providers', () => {
    expect(stackTofuEnv('gcp')).toEqual({});
  });
});
