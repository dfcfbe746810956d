import { Ready, RunFunctionRequest, Severity, Status } from '@crossplane-org/function-sdk-typescript';
import {
  runFunction,
  TTL_READY_SECONDS,
  TTL_WAITING_SECONDS,
  TTL_WATCHES_THROTTLED_SECONDS,
} from '../../functions/server/handler.js';
import type { JsonObject } from '../../functions/shared/objects.js';
import { ENVIRONMENT_RECHECK_SECONDS } from '../../functions/appstack/compose.js';
import { asObservedReady, desiredOf, readYaml, requestFor } from '../support/request.js';
import { FIXED_NOW, simulate } from '../support/simulate.js';

const NOW = { now: () => FIXED_NOW };
const xr = readYaml('examples/devenvironment/namespace/xr.yaml');

function fatalMessage(rsp: ReturnType<typeof runFunction>): string | undefined {
  return rsp.results.find((r) => r.severity === Severity.SEVERITY_FATAL)?.message;
}

describe('runFunction', () => {
  it('rejects a request without an observed composite', () => {
    const rsp = runFunction(RunFunctionRequest.fromPartial({}), NOW);
    expect(fatalMessage(rsp)).toBe('the request has no observed composite resource');
  });

  it('names the kinds it serves when given another', () => {
    const rsp = runFunction(
      requestFor({ apiVersion: 'example.org/v1', kind: 'Database', metadata: { name: 'x' } }),
      NOW,
    );
    expect(fatalMessage(rsp)).toMatch(
      /composes devplatform\.io\/v1alpha1 DevEnvironment, .*; got example\.org\/v1 Database/,
    );
  });

  it('gives bad specs a Fatal result and a condition naming the field, composing nothing', () => {
    const bad = { ...xr, spec: { ...(xr.spec as JsonObject), size: 'huge' } };
    const rsp = runFunction(requestFor(bad), NOW);
    expect(fatalMessage(rsp)).toMatch(/^invalid DevEnvironment: spec\.size: must be one of/);
    expect(rsp.conditions).toEqual([
      expect.objectContaining({
        type: 'SpecValid',
        status: Status.STATUS_CONDITION_FALSE,
        reason: 'InvalidInput',
      }),
    ]);
    expect(desiredOf(rsp)).toEqual({});
  });

  it('rejects a bad function input, naming the field under input', () => {
    const rsp = runFunction(
      requestFor(xr, {
        input: { apiVersion: 'devplatform.fn.crossplane.io/v1alpha1', kind: 'Policy', rbac: 3 },
      }),
      NOW,
    );
    expect(fatalMessage(rsp)).toMatch(/input\.rbac: must be object/);
  });

  it('blames a broken Policy on the platform team and names the Composition, composing nothing', () => {
    const composed = {
      ...xr,
      spec: { ...(xr.spec as JsonObject), crossplane: { compositionRef: { name: 'devenvironment' } } },
    };
    const rsp = runFunction(
      requestFor(composed, {
        input: {
          apiVersion: 'devplatform.fn.crossplane.io/v1alpha1',
          kind: 'Policy',
          environments: { gke: { project: 'p', defaultRegoin: 'us-east1' } },
        },
      }),
      NOW,
    );
    const message =
      "the Composition's function input (Policy) is invalid; the platform team must fix Composition " +
      '"devenvironment": input.environments.gke.defaultRegoin: is not a known field';
    expect(fatalMessage(rsp)).toBe(message);
    expect(rsp.conditions).toEqual([
      expect.objectContaining({
        type: 'PolicyValid',
        status: Status.STATUS_CONDITION_FALSE,
        reason: 'InvalidPolicy',
        message,
      }),
    ]);
    expect(desiredOf(rsp)).toEqual({});
  });

  it('polls soon while waiting and rarely once ready', () => {
    const rounds = simulate(xr);
    expect(rounds[0]!.response.meta?.ttl?.seconds).toBe(TTL_WAITING_SECONDS);
    expect(rounds[rounds.length - 1]!.response.meta?.ttl?.seconds).toBe(TTL_READY_SECONDS);
  });

  it("calls back in 5 s while the XR says Crossplane's circuit breaker is open", () => {
    // Crossplane v2.1+ sets Responsive=False (WatchCircuitOpen) on the XR before calling the function.
    const throttled = {
      ...xr,
      status: {
        conditions: [
          {
            type: 'Responsive',
            status: 'False',
            reason: 'WatchCircuitOpen',
            message: 'Too many watch events from Usage/x (team-ml). Allowing events periodically.',
            lastTransitionTime: '2026-11-21T09:04:00Z',
          },
        ],
      },
    };
    const rsp = runFunction(requestFor(throttled), NOW);
    expect(rsp.meta?.ttl?.seconds).toBe(TTL_WATCHES_THROTTLED_SECONDS);
    expect(runFunction(requestFor(xr), NOW).meta?.ttl?.seconds).toBe(TTL_WAITING_SECONDS);
  });

  it('holds the XR not ready while it waits, and leaves readiness to the composed resources once ready', () => {
    // Crossplane counts an XR with nothing composed as Ready: an AppStack waiting for its
    // environment composes nothing, so the function must say it is not (seen in make e2e).
    const app = readYaml('examples/appstack/gke/xr.yaml');
    const waiting = runFunction(requestFor(app, { required: { environment: [] } }), NOW);
    expect(Object.keys(desiredOf(waiting))).toEqual([]);
    // Crossplane does not watch the DevEnvironment for it: it asks again soon (ENVIRONMENT_RECHECK_SECONDS).
    expect(waiting.meta?.ttl?.seconds).toBe(ENVIRONMENT_RECHECK_SECONDS);
    expect(waiting.desired?.composite?.ready).toBe(Ready.READY_FALSE);

    const rounds = simulate(xr);
    expect(rounds[0]?.response.desired?.composite?.ready).toBe(Ready.READY_FALSE);
    expect(rounds.at(-1)?.response.desired?.composite?.ready).toBe(Ready.READY_UNSPECIFIED);
  });

  it('keeps an observed resource it no longer composes, with a warning', () => {
    const stray = asObservedReady(xr, 'old-thing', {
      apiVersion: 'kubernetes.m.crossplane.io/v1alpha1',
      kind: 'Object',
      metadata: { managedFields: [{}], uid: 'u1', resourceVersion: '7' },
      spec: { forProvider: { manifest: { apiVersion: 'v1', kind: 'ConfigMap' } } },
    });
    const rsp = runFunction(requestFor(xr, { observed: [stray] }), NOW);
    const kept = desiredOf(rsp)['old-thing'];
    expect(kept).toEqual({
      apiVersion: 'kubernetes.m.crossplane.io/v1alpha1',
      kind: 'Object',
      metadata: {
        name: (stray.metadata as JsonObject).name,
        namespace: 'team-payments',
        annotations: { 'crossplane.io/composition-resource-name': 'old-thing' },
      },
      spec: { forProvider: { manifest: { apiVersion: 'v1', kind: 'ConfigMap' } } },
    });
    expect(rsp.results).toContainEqual(
      expect.objectContaining({ severity: Severity.SEVERITY_WARNING, reason: 'ResourceRetained' }),
    );
  });

  it('lets a team remove a tool or its access binding deliberately', () => {
    const rounds = simulate(xr);
    const observed = rounds[rounds.length - 1]!.observed;
    const noAccess = { ...xr, spec: { ...(xr.spec as JsonObject), access: {} } };
    const rsp = runFunction(requestFor(noAccess, { observed }), NOW);
    expect(desiredOf(rsp)['rolebinding-access']).toBeUndefined();
    expect(rsp.results).toEqual([]);
  });

  it('leaves resources other pipeline steps desire alone', () => {
    const other = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
    const req = requestFor(xr, { observed: [asObservedReady(xr, 'from-another-step', other)] });
    req.desired = {
      composite: undefined,
      resources: { 'from-another-step': { resource: other, connectionDetails: {}, ready: 0 } },
    };
    const rsp = runFunction(req, NOW);
    expect(desiredOf(rsp)['from-another-step']).toEqual(other);
  });

  it('never puts observed connection details (secrets) into its response', () => {
    const rounds = simulate(readYaml('examples/devenvironment/vcluster/xr.yaml'));
    const observed = rounds[rounds.length - 1]!.observed;
    const req = requestFor(readYaml('examples/devenvironment/vcluster/xr.yaml'), { observed });
    for (const r of Object.values(req.observed!.resources))
      r.connectionDetails = { kubeconfig: Buffer.from('SECRET-MARKER-123') };
    const rsp = runFunction(req, NOW);
    expect(JSON.stringify(rsp)).not.toContain('SECRET-MARKER-123');
    expect(JSON.stringify(rsp)).not.toContain(Buffer.from('SECRET-MARKER-123').toString('base64'));
  });
});
