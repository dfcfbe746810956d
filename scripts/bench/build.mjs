// A build of the function (a dist/ folder) as the benchmarks call it: the handler, the server's
// request decoder and response encoder, the policy resolver, and serve(), what the server does per
// call (decode the request's bytes, compose, encode the response).
import { resolve } from 'node:path';

export async function loadBuild(dist) {
  const module = (path) => import(resolve(dist, 'functions', path));
  const { runFunction } = await module('server/handler.js');
  const { encodeResponse, decodeRequest } = await module('server/codec/index.js');
  const { resolvePolicy } = await module('shared/policy/policy.js');
  const serve = (bytes) => {
    const decoded = decodeRequest(bytes);
    if (!decoded.ok) throw new Error(decoded.reason);
    return encodeResponse(runFunction(decoded.request));
  };
  return { runFunction, encodeResponse, decodeRequest, resolvePolicy, serve };
}
