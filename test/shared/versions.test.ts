import { DEFAULT_POLICY } from '../../functions/shared/policy/defaults.js';

/**
 * The platform's default Kubernetes versions are supported ones (issue 20): this test reads the
 * real clock on purpose, so it fails the day a default passes its end-of-support date and someone
 * must move the defaults (functions/shared/policy/defaults.ts, with the sources named there).
 */
const TYPES = ['vcluster', 'gke', 'eks'] as const;

function offered(type: (typeof TYPES)[number]): string[] {
  return type === 'vcluster'
    ? Object.keys(DEFAULT_POLICY.environments.vcluster.kubernetesVersions)
    : DEFAULT_POLICY.environments[type].kubernetesVersions;
}

describe.each(TYPES)('the default policy for %s environments', (type) => {
  const policy = DEFAULT_POLICY.environments[type];

  it('defaults to a version that has an end-of-support date, still ahead', () => {
    const end = policy.endOfSupport[policy.defaultKubernetesVersion];
    expect({ version: policy.defaultKubernetesVersion, end }).toEqual({
      version: policy.defaultKubernetesVersion,
      end: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect({
      version: policy.defaultKubernetesVersion,
      supported: Date.parse(end ?? '') > Date.now(),
    }).toEqual({
      version: policy.defaultKubernetesVersion,
      supported: true,
    });
  });

  it('offers no version past its end of support', () => {
    const past = offered(type).filter((v) => {
      const end = policy.endOfSupport[v];
      return end !== undefined && Date.parse(end) <= Date.now();
    });
    expect(past).toEqual([]);
  });
});
