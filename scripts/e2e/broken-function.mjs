// A deliberately broken build of our function, for the e2e's proof that its deletion-order check can
// fail (test/e2e-broken.test.ts): the built server, serving exactly what the real one does, except
// that the Usage named by E2E_DROP_USAGE (a composition-resource-name) is left out of every response.
// Same flags as dist/functions/server/main.js. Never shipped: it lives in scripts/, not in the image.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
const { runFunction } = await import(join(root, 'dist', 'functions', 'server', 'handler.js'));
const { parseServeOptions } = await import(join(root, 'dist', 'functions', 'server', 'options.js'));
const { startServer } = await import(join(root, 'dist', 'functions', 'server', 'serve.js'));

const dropped = process.env.E2E_DROP_USAGE;
if (!dropped) throw new Error('broken-function: set E2E_DROP_USAGE to the Usage to leave out');
const options = parseServeOptions(process.argv.slice(2), process.env);
await startServer((req) => {
  const rsp = runFunction(req);
  const resources = rsp.desired?.resources;
  if (resources === undefined || resources[dropped] === undefined) return rsp;
  const kept = Object.fromEntries(Object.entries(resources).filter(([name]) => name !== dropped));
  return { ...rsp, desired: { ...rsp.desired, resources: kept } };
}, options);
console.log(JSON.stringify({ severity: 'INFO', msg: `serving, broken: ${dropped} left out` }));
