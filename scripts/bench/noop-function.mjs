#!/usr/bin/env node
// The floor for any TypeScript function: a function that composes nothing, served by the SDK's own
// serve() (its flags, its gRPC server, its codec). make bench runs it beside ours.
import { serve } from '@crossplane-org/function-sdk-typescript';

serve((req, rsp) => rsp, { name: 'noop-function' });
