// An OCI registry on 127.0.0.1 that Crossplane's package manager pulls from over TLS, as it would
// from xpkg.crossplane.io or a platform's own registry. It stands in for a real registry (crane's
// in-memory registry implementation from go-containerregistry, the library Crossplane itself pulls
// with) behind a TLS front signed by the run's CA, which Crossplane trusts through CA_BUNDLE_PATH.
// It cannot catch what a real registry adds: authentication, pull secrets, rate limits, mirrors.
//
// The backend listens on plain HTTP on another loopback port, for pushes only; Crossplane
// is only ever given the TLS address, which speaks nothing but TLS, so a pull that fell back to plain
// HTTP (go-containerregistry tries it for loopback registries when TLS fails) would fail.
import { execFileSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, goTool, listening } from '../tools.mjs';
import { startProcess } from './control-plane.mjs';
import { waitFor } from './kube.mjs';

/**
 * Starts the registry. Returns its TLS address (`127.0.0.1:<port>`), push(file, repository, tag)
 * for package files, and close().
 */
export async function startRegistry({ dir, certs, step }) {
  const crane = goTool('crane');
  const backend = await freePort();
  const proc = startProcess('registry', crane, ['registry', 'serve', `--address=127.0.0.1:${backend}`], {
    dir,
  });
  await waitFor('the registry backend to listen', () => listening(backend), 30_000, 200);

  const front = createServer(
    { cert: readFileSync(join(certs.dir, 'tls.crt')), key: readFileSync(join(certs.dir, 'tls.key')) },
    (req, res) => {
      const upstream = httpRequest(
        { host: '127.0.0.1', port: backend, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', (err) => res.destroy(err));
      req.pipe(upstream);
    },
  );
  const port = await freePort();
  await new Promise((resolve) => front.listen(port, '127.0.0.1', resolve));
  const address = `127.0.0.1:${port}`;
  step(`OCI registry on https://${address} (crane's registry behind a TLS front signed by the run's CA)`);

  return {
    address,
    process: proc,
    /**
     * Pushes a package file as `<address>/<repository>:<tag>` with `crossplane xpkg push`, as README's
     * "Install" does (to the plain-HTTP backend, which the CLI reaches on loopback); returns the digest.
     */
    push(file, repository, tag) {
      execFileSync(
        goTool('crossplane'),
        ['xpkg', 'push', '-f', file, `127.0.0.1:${backend}/${repository}:${tag}`],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      return execFileSync(crane, ['digest', '--insecure', `127.0.0.1:${backend}/${repository}:${tag}`], {
        encoding: 'utf8',
      }).trim();
    },
    close: () => new Promise((resolve) => front.close(resolve)),
  };
}
