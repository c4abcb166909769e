import { createRequire } from "node:module";
import type * as Http from "node:http";
import type * as Https from "node:https";

/*
 * nock activates on import and patches node:http and node:https (request, get, ClientRequest). jest gives every
 * suite of a worker a fresh module registry but the same core modules, so a suite's nock stayed in force for the
 * suites after it, with that suite's settings: test/github/facts.test.ts's disableNetConnect() made the next
 * suites' plain http requests to 127.0.0.1 fail (webhook-ack's gate to the simulator). Every suite starts with
 * the originals, saved on the core module by the worker's first suite, before anything patched them.
 * require, not import: an import here would fix the suite's `import { request } from "node:http"` to the value
 * before the reset (jest builds a core module's named exports once per suite, at its first import).
 */
const require = createRequire(import.meta.url);
const http = require("node:http") as typeof Http;
const https = require("node:https") as typeof Https;
const SAVED = Symbol.for("stagegate.test.original-http");
type Originals = [Pick<typeof http, "request" | "get" | "ClientRequest">, Pick<typeof https, "request" | "get">];
const holder = http as typeof http & { [SAVED]?: Originals };
const [plain, secure] = (holder[SAVED] ??= [
  { request: http.request, get: http.get, ClientRequest: http.ClientRequest },
  { request: https.request, get: https.get },
]);
Object.assign(http, plain);
Object.assign(https, secure);
