// A small Kubernetes API client for the end-to-end test: bearer token, the API server's certificate
// checked against the test's CA, REST paths found by discovery. Enough to apply, read, patch status
// and delete; nothing else.
import { Agent, request } from 'node:https';
import { URL, URLSearchParams } from 'node:url';

export class KubeError extends Error {
  constructor(method, path, status, body) {
    const message = typeof body === 'object' && body !== null ? body.message : String(body);
    super(`${method} ${path}: ${status} ${message ?? ''}`.trim());
    this.status = status;
    this.body = body;
  }
}

export class Kube {
  /** @param {{server: string, token: string, ca: string}} options */
  constructor({ server, token, ca }) {
    this.server = new URL(server);
    this.token = token;
    this.ca = ca;
    this.resources = new Map();
    // One TLS connection reused across calls: the deletion checks list every kind several times a second.
    this.agent = new Agent({ keepAlive: true, maxSockets: 8 });
  }

  /** One HTTP call; JSON in and out. Throws KubeError on a non-2xx answer. */
  call(method, path, body, contentType = 'application/json') {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.server.hostname,
          port: this.server.port,
          method,
          path,
          ca: this.ca,
          agent: this.agent,
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: 'application/json',
            ...(payload ? { 'content-type': contentType, 'content-length': payload.length } : {}),
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed = text;
            try {
              parsed = text === '' ? {} : JSON.parse(text);
            } catch {
              // not JSON: keep the text (healthz answers "ok")
            }
            if (res.statusCode >= 200 && res.statusCode < 300) resolve(parsed);
            else reject(new KubeError(method, path, res.statusCode, parsed));
          });
        },
      );
      req.on('error', reject);
      req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${path}: no answer in 60 s`)));
      if (payload) req.write(payload);
      req.end();
    });
  }

  /** The REST resource of an apiVersion and kind: {path, namespaced}, by discovery (cached). */
  async resource(apiVersion, kind) {
    const key = `${apiVersion}/${kind}`;
    if (!this.resources.has(key)) {
      const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      const list = await this.call('GET', base);
      for (const r of list.resources ?? []) {
        if (!r.name.includes('/'))
          this.resources.set(`${apiVersion}/${r.kind}`, { base, plural: r.name, namespaced: r.namespaced });
      }
      if (!this.resources.has(key)) throw new Error(`the API server serves no ${kind} in ${apiVersion}`);
    }
    return this.resources.get(key);
  }

  /** Closes the kept-alive connections. */
  close() {
    this.agent.destroy();
  }

  /** Forgets discovered resources (after new CRDs). */
  forget() {
    this.resources.clear();
  }

  async path(apiVersion, kind, namespace, name, subresource) {
    const { base, plural, namespaced } = await this.resource(apiVersion, kind);
    const ns = namespaced && namespace ? `/namespaces/${namespace}` : '';
    return `${base}${ns}/${plural}${name ? `/${name}` : ''}${subresource ? `/${subresource}` : ''}`;
  }

  /** Server-side apply, as `kubectl apply --server-side --force-conflicts` does. */
  async apply(object, fieldManager = 'e2e') {
    const { apiVersion, kind, metadata } = object;
    const path = await this.path(apiVersion, kind, metadata.namespace, metadata.name);
    return this.call(
      'PATCH',
      `${path}?fieldManager=${fieldManager}&force=true`,
      object,
      'application/apply-patch+yaml',
    );
  }

  async create(object) {
    const { apiVersion, kind, metadata } = object;
    return this.call('POST', await this.path(apiVersion, kind, metadata.namespace), object);
  }

  async get(apiVersion, kind, name, namespace) {
    return this.call('GET', await this.path(apiVersion, kind, namespace, name));
  }

  /** The object, or undefined when it does not exist. */
  async find(apiVersion, kind, name, namespace) {
    try {
      return await this.get(apiVersion, kind, name, namespace);
    } catch (err) {
      if (err instanceof KubeError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** Items of a kind, in a namespace or everywhere, optionally by label selector. */
  async list(apiVersion, kind, { namespace, labelSelector } = {}) {
    const path = await this.path(apiVersion, kind, namespace);
    const query = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    return (await this.call('GET', `${path}${query}`)).items ?? [];
  }

  /** A JSON merge patch of the object or one of its subresources (status). */
  async merge(object, patch, subresource) {
    const { apiVersion, kind, metadata } = object;
    const path = await this.path(apiVersion, kind, metadata.namespace, metadata.name, subresource);
    return this.call('PATCH', path, patch, 'application/merge-patch+json');
  }

  /** Deletes an object; `propagationPolicy` (Foreground, Background, Orphan) as kubectl's --cascade. */
  async remove(apiVersion, kind, name, namespace, propagationPolicy) {
    const query = propagationPolicy ? `?propagationPolicy=${propagationPolicy}` : '';
    return this.call('DELETE', `${await this.path(apiVersion, kind, namespace, name)}${query}`);
  }

  /**
   * Watches a kind everywhere: onEvent(type, object) for each ADDED, MODIFIED and DELETED, from now
   * on (the objects already there arrive as ADDED first). Reopens from the last resourceVersion when
   * the API server ends the watch. Returns {stop}.
   */
  async watch(apiVersion, kind, { labelSelector } = {}, onEvent) {
    const path = await this.path(apiVersion, kind);
    this.watchAgent ??= new Agent({ keepAlive: false });
    let stopped = false;
    let current;
    let resourceVersion;
    const open = () => {
      if (stopped) return;
      const query = new URLSearchParams({ watch: 'true' });
      if (labelSelector) query.set('labelSelector', labelSelector);
      if (resourceVersion) query.set('resourceVersion', resourceVersion);
      let reopened = false;
      const reopen = (delayMs) => {
        if (reopened) return;
        reopened = true;
        setTimeout(open, delayMs);
      };
      current = request(
        {
          host: this.server.hostname,
          port: this.server.port,
          method: 'GET',
          path: `${path}?${query}`,
          ca: this.ca,
          agent: this.watchAgent,
          headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' },
        },
        (res) => {
          let buffered = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => {
            buffered += chunk;
            let newline;
            while ((newline = buffered.indexOf('\n')) >= 0) {
              const line = buffered.slice(0, newline);
              buffered = buffered.slice(newline + 1);
              if (line.trim() === '') continue;
              const { type, object } = JSON.parse(line);
              if (type === 'ERROR')
                resourceVersion = undefined; // 410 Gone: start over
              else if (object?.metadata) {
                resourceVersion = object.metadata.resourceVersion;
                onEvent(type, object);
              }
            }
          });
          res.on('end', () => reopen(100));
        },
      );
      current.on('error', () => reopen(500));
      current.end();
    };
    open();
    return {
      stop: () => {
        stopped = true;
        current?.destroy();
      },
    };
  }
}

/** Polls until fn returns something other than undefined/false, or throws after the timeout. */
export async function waitFor(what, fn, timeoutMs = 60_000, everyMs = 500) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? `: ${last.message}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The condition of a type on an object's status, if any. */
export function conditionOf(object, type) {
  return (object?.status?.conditions ?? []).find((c) => c.type === type);
}
