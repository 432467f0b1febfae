/**
 * What the bundles (dist/dodb.js, the provider) hold in place of the `http2-wrapper` package: the
 * Makefile's esbuild `--alias`. got imports that package only for its `http2` option, which dodb
 * never sets; loading it creates a TLS socket, and with it a secure context of Node's root
 * certificates, in every process that makes an API request (about 50 ms of CPU). Were got ever
 * asked for HTTP/2, the request fails with this error instead of going out some other way.
 */
function unavailable(): never {
  throw new Error(
    "got's http2 option is not available: dodb's bundles leave out http2-wrapper (see src/api/without-http2-wrapper.ts)",
  );
}

/** The two members got reads from http2-wrapper, both only for an `http2: true` request. */
const http2wrapper = {
  get auto(): never {
    return unavailable();
  },
  get globalAgent(): never {
    return unavailable();
  },
};

export default http2wrapper;
