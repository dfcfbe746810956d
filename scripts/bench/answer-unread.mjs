#!/usr/bin/env node
// What the load generator itself can drive: a RunFunction server (grpc-js, mTLS, the flow-control
// windows our server grants) that answers every request with an empty response without reading it.
// No function served over this harness can do better, so its throughput is the harness's ceiling
// (make bench requires it at least three times ours) and its p99 the harness's floor.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';

const dist = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'dist', 'functions', 'server');
const { parseServeOptions } = await import(join(dist, 'options.js'));
const { serverCredentials, FUNCTION_SERVICE } = await import(join(dist, 'serve.js'));
const { widenFlowControlWindows } = await import(join(dist, 'library-internals.js'));

const options = parseServeOptions(process.argv.slice(2), process.env);
const bytes = (b) => b;
const EMPTY_RESPONSE = Buffer.alloc(0);
const server = new grpc.Server({ 'grpc.max_receive_message_length': -1 });
server.addService(
  {
    runFunction: {
      path: `/${FUNCTION_SERVICE}/RunFunction`,
      requestStream: false,
      responseStream: false,
      requestSerialize: bytes,
      requestDeserialize: bytes,
      responseSerialize: bytes,
      responseDeserialize: bytes,
    },
  },
  { runFunction: (_call, callback) => callback(null, EMPTY_RESPONSE) },
);
server.bindAsync(options.address, serverCredentials(options), (error) => {
  if (error) throw error;
  widenFlowControlWindows(server);
});
