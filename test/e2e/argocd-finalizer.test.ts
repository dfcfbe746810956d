import { nextToDelete, syncWave } from '../../scripts/e2e/argocd-finalizer.mjs';

/**
 * The e2e's stand-in for Argo CD's resources finalizer (scripts/e2e/argocd-finalizer.mjs), without a
 * control plane: which objects it deletes next, as finalizeApplicationDeletion and
 * FilterObjectsForDeletion in argo-cd's application controller choose them.
 */
const xr = (kind: string, name: string, wave?: string, deleting = false) => ({
  apiVersion: 'devplatform.io/v1alpha1',
  kind,
  metadata: {
    name,
    namespace: 'team-checkout',
    ...(wave !== undefined ? { annotations: { 'argocd.argoproj.io/sync-wave': wave } } : {}),
    ...(deleting ? { deletionTimestamp: '2026-11-30T00:00:00Z' } : {}),
  },
});

const env = xr('DevEnvironment', 'checkout-pr-42', '0');
const app = xr('AppStack', 'checkout', '1');

describe("Argo CD's resources finalizer (stand-in)", () => {
  it.each([
    ['the annotation', app, 1],
    ['no annotation (wave 0)', xr('AppStack', 'x'), 0],
    ['a negative wave', xr('AppStack', 'x', '-2'), -2],
    ['a wave it cannot read (wave 0)', xr('AppStack', 'x', 'first'), 0],
    ['a wave with trailing text (wave 0, as strconv.Atoi)', xr('AppStack', 'x', '1st'), 0],
  ])('reads the sync wave from %s', (_case, object, wave) => {
    expect(syncWave(object)).toBe(wave);
  });

  it.each([
    ['the highest wave first', [env, app], ['AppStack']],
    ['the next wave once the higher one is gone', [env], ['DevEnvironment']],
    ['nothing while an object is pending deletion', [env, xr('AppStack', 'checkout', '1', true)], []],
    ['nothing when nothing is left', [], []],
    [
      'every object of the wave and its kind at once',
      [env, app, xr('AppStack', 'checkout-worker', '1')],
      ['AppStack', 'AppStack'],
    ],
    [
      'one kind of a wave at a time (by name, reversed, as Argo CD sorts custom resources)',
      [xr('DevEnvironment', 'a', '0'), xr('AppStack', 'b', '0')],
      ['AppStack'],
    ],
  ])('deletes %s', (_case, live, kinds) => {
    expect(nextToDelete(live).map((o) => o.kind)).toEqual(kinds);
  });
});
