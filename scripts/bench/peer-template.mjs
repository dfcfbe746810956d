// The Go peer's input: an inline Go template (function-go-templating's GoTemplate input) that renders
// what our function composes for the same request: the same resources, byte for byte, and the same
// composite status. The XR's name, namespace and string spec fields are template expressions read
// from the request, as a real template would read them, so the peer does the same kind of work.
import { stringify } from 'yaml';
import { UNSHARED } from '../tools.mjs';

const READY = { 1: 'True', 2: 'False' };
const NAME = 'gotemplating.fn.crossplane.io/composition-resource-name';
const READY_ANNOTATION = 'gotemplating.fn.crossplane.io/ready';

/** The XR's name, namespace and string spec fields (4+ characters): value -> where it is read. */
export function xrValues(xr) {
  const found = new Map([
    [xr.metadata.name, 'metadata.name'],
    [xr.metadata.namespace, 'metadata.namespace'],
  ]);
  for (const [field, value] of Object.entries(xr.spec ?? {})) {
    if (typeof value === 'string' && value.length >= 4 && !found.has(value) && /^[\w.-]+$/.test(field)) {
      found.set(value, `spec.${field}`);
    }
  }
  found.delete(undefined);
  return found;
}

/** Template expressions for the XR's values (xrValues). */
function expressions(xr) {
  return new Map(
    [...xrValues(xr)].map(([value, path]) => [value, `{{ .observed.composite.resource.${path} }}`]),
  );
}

/** `text` as a literal inside a regular expression. */
export const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The GoTemplate input for `xr`, given our response to the same request. */
export function goTemplateInput(xr, rsp) {
  const docs = [];
  const status = rsp.desired?.composite?.resource?.status;
  if (status !== undefined) docs.push({ apiVersion: xr.apiVersion, kind: xr.kind, status });
  for (const [name, composed] of Object.entries(rsp.desired?.resources ?? {})) {
    const resource = structuredClone(composed.resource);
    resource.metadata ??= {};
    resource.metadata.annotations = { ...resource.metadata.annotations, [NAME]: name };
    if (READY[composed.ready] !== undefined)
      resource.metadata.annotations[READY_ANNOTATION] = READY[composed.ready];
    docs.push(resource);
  }
  // Literal braces first, so only our expressions are actions; then one pass over the XR's values,
  // longest first, so no replacement is scanned again.
  const text = docs
    .map((doc) => stringify(doc, { ...UNSHARED, lineWidth: 0, version: '1.1' }))
    .join('---\n')
    .replaceAll('{{', '{{ "{{" }}');
  const byValue = expressions(xr);
  const pattern = new RegExp(
    [...byValue.keys()]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'g',
  );
  return {
    apiVersion: 'gotemplating.fn.crossplane.io/v1beta1',
    kind: 'GoTemplate',
    source: 'Inline',
    inline: { template: text.replace(pattern, (value) => byValue.get(value)) },
  };
}
