/**
 * The simulator in-process, behind nock: every request the app makes to
 * https://api.github.com is answered by the same routing, OpenAPI / GraphQL
 * validation and state as the HTTP simulator, without a server or a port.
 */
import nock from "nock";
import { handle, responseHeaders, responseText } from "./server.js";
import { SimState } from "./state.js";

export const API = "https://api.github.com";
const METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"];

/** The request body as sent: nock hands over JSON parsed, and text as a string. */
function rawBody(body: unknown): Buffer {
  if (body === undefined || body === null || body === "") return Buffer.alloc(0);
  return Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

/** Answers a request instead of the simulator (a 500, say); undefined lets the simulator answer. */
export type Override = (
  method: string,
  path: string,
  body: any,
) => [number, unknown] | [number, unknown, Record<string, string>] | undefined;

/**
 * A fresh simulator state answering at API; `override()` is asked first. Call `nock.cleanAll()` to stop.
 * Overridden requests are recorded too, but not validated: they stand for GitHub failing.
 */
export function interceptGitHub(
  opts: { appId?: number; appSlug?: string; override?: () => Override | undefined } = {},
): {
  state: SimState;
  scope: nock.Scope;
} {
  const state = new SimState(opts.appId ?? 4242, opts.appSlug ?? "stagegate");
  state.url = API;
  const scope = nock(API).persist();
  for (const method of METHODS) {
    scope
      .intercept(() => true, method)
      .reply(async function (this: nock.ReplyFnContext, uri, body) {
        const headers = this.req.headers as Record<string, string | string[] | undefined>;
        const custom = opts.override?.()?.(method, decodeURIComponent(new URL(uri, API).pathname), body);
        if (custom) {
          const [status] = custom;
          state.requests.push({ method, path: uri, route: null, status, graphql: uri.startsWith("/graphql"), body });
          const extra = custom.length === 3 ? custom[2] : {};
          return [status, JSON.stringify(custom[1]), { "content-type": "application/json; charset=utf-8", ...extra }];
        }
        const d = await handle(state, {
          method,
          url: uri,
          authorization: header(headers.authorization),
          accept: header(headers.accept),
          body: rawBody(body),
        });
        return [d.status, responseText(d), responseHeaders(d)];
      });
  }
  return { state, scope };
}
