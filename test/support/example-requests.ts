import type { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { corpus, request } from '../../scripts/examples.mjs';

/**
 * Every example XR in examples/, with nothing observed and at each observed stage beside it, with its
 * Composition's input and its required resources: the requests Crossplane would send over a life.
 * The same corpus the fuzzer and the benchmarks use (scripts/examples.mjs).
 */
export function exampleRequests(): Array<{ name: string; request: RunFunctionRequest }> {
  return corpus().map((example) => ({ name: example.name, request: request('test', example) }));
}

/** The largest of them (the gke DevEnvironment observed ready: over 64 KiB, several HTTP/2 frames). */
export function largestExampleRequest(): RunFunctionRequest {
  return exampleRequests()
    .map((e) => e.request)
    .reduce((a, b) => (JSON.stringify(b).length > JSON.stringify(a).length ? b : a));
}
