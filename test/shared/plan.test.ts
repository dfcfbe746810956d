import { Plan } from '../../functions/shared/plan.js';
import type { JsonObject } from '../../functions/shared/objects.js';

const ready = (kind = 'Object'): JsonObject => ({
  kind,
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
});
const notReady = (message: string): JsonObject => ({
  kind: 'Object',
  status: { conditions: [{ type: 'Ready', status: 'False', message }] },
});
const r = (name: string) => ({ name, body: { kind: 'Object' } });

describe('Plan', () => {
  it('adds gated resources only once their dependencies are ready', () => {
    const plan = new Plan(new Map());
    plan.add(r('a'));
    expect(plan.addWhen(plan.gate([{ name: 'a', label: 'A' }]), r('b'))).toBe(false);
    expect(plan.list().map((x) => x.name)).toEqual(['a']);
    expect(plan.waitingFor()).toEqual(['A (not created yet)']);
  });

  it('opens the gate when the dependency is observed ready', () => {
    const plan = new Plan(new Map([['a', ready()]]));
    plan.add(r('a'));
    expect(plan.addWhen(plan.gate([{ name: 'a', label: 'A' }]), r('b'))).toBe(true);
    expect(plan.waitingFor()).toEqual([]);
  });

  it('never drops a resource that exists when its dependency stops being ready', () => {
    const plan = new Plan(
      new Map([
        ['a', notReady('pod crashed')],
        ['b', ready()],
      ]),
    );
    plan.add(r('a'));
    expect(plan.addWhen(plan.gate([{ name: 'a', label: 'A' }]), r('b'))).toBe(true);
    expect(plan.list().map((x) => x.name)).toEqual(['a', 'b']);
    expect(plan.notReady()).toEqual(['a']);
  });

  it('counts ProviderConfigs as ready once they exist', () => {
    const plan = new Plan(new Map([['pc', { kind: 'ProviderConfig' }]]));
    expect(plan.isReady('pc')).toBe(true);
  });

  it('reports only blockers it composed, not consequences further down', () => {
    const plan = new Plan(new Map());
    plan.add(r('a'));
    plan.addWhen(plan.gate([{ name: 'a', label: 'A' }]), r('b'));
    plan.addWhen(plan.gate([{ name: 'b', label: 'B' }]), r('c'));
    expect(plan.waitingFor()).toEqual(['A (not created yet)']);
  });

  it('refuses the same name twice', () => {
    const plan = new Plan(new Map());
    plan.add(r('a'));
    expect(() => plan.add(r('a'))).toThrow(/used twice/);
  });
});
