#!/usr/bin/env node
import { serve, type RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { runFunction } from './handler.js';

// The SDK parses the standard flags (--address, --insecure, --tls-server-certs-dir, --debug),
// serves the FunctionRunnerService and shuts down cleanly on SIGTERM.
serve((req: RunFunctionRequest) => runFunction(req), { name: 'function-devplatform' });
