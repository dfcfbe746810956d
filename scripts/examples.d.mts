import type { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';

type Json = Record<string, unknown>;

/** One example XR at one observed stage, with its Composition's input and its required resources. */
export interface ExampleCase {
  name: string;
  xr: Json;
  input: Json | undefined;
  observed: Record<string, Json>;
  required: Record<string, Json[]>;
}

export function corpus(): ExampleCase[];

export function request(
  tag: string,
  base: Partial<ExampleCase> & { desired?: RunFunctionRequest['desired'] },
): RunFunctionRequest;
