/**
 * The front of the simulator: authentication, OpenAPI routing and validation,
 * GitHub's extra limits, dispatch to route handlers, GraphQL, request
 * recording; served over HTTP (with simulated latency) or in-process (nock.ts).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { executeGraphql } from "./graphql.js";
import { bodyTextLimits, checkRunLimits } from "./limits.js";
import { matchRoute } from "./openapi.js";
import { authRoutes, jwtAppId } from "./routes-auth.js";
import { checkRoutes } from "./routes-checks.js";
import { commitPullRoutes } from "./routes-commit-pulls.js";
import { gitRoutes } from "./routes-git.js";
import { issueRoutes } from "./routes-issues.js";
import { protectionRoutes } from "./routes-protection.js";
import { pullRoutes } from "./routes-pulls.js";
import { repoRoutes } from "./routes-repos.js";
import type { Caller, RouteResult, RouteTable } from "./routes.js";
import { HttpError, type SimState } from "./state.js";
import { validateBody, validateParams, type RequestProblem } from "./validate-rest.js";

const MAX_BODY = 25 * 1024 * 1024;

const handlers: RouteTable = {
  ...authRoutes,
  ...repoRoutes,
  ...gitRoutes,
  ...pullRoutes,
  ...checkRoutes,
  ...issueRoutes,
  ...protectionRoutes,
  ...commitPullRoutes,
};

/** Checks GitHub documents but its OpenAPI description does not express. */
const extraLimits: Record<string, (body: unknown) => RequestProblem[]> = {
  "POST /repos/{owner}/{repo}/check-runs": (b) => checkRunLimits(b, true),
  "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}": (b) => checkRunLimits(b, false),
  "POST /repos/{owner}/{repo}/issues/{issue_number}/comments": bodyTextLimits,
  "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}": bodyTextLimits,
  "POST /repos/{owner}/{repo}/issues": bodyTextLimits,
  "PATCH /repos/{owner}/{repo}/issues/{issue_number}": bodyTextLimits,
  "POST /repos/{owner}/{repo}/pulls": bodyTextLimits,
};

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, "Request body too large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function errorBody(status: number, message: string, documentationUrl: string, errors?: unknown[]) {
  return { message, ...(errors ? { errors } : {}), documentation_url: documentationUrl, status: String(status) };
}

function callerOf(state: SimState, header: string | undefined): Caller | undefined {
  const m = /^(?:token|bearer)\s+(\S+)$/i.exec(header ?? "");
  if (!m) return undefined;
  const token = m[1];
  const known = state.tokens.get(token);
  if (known) return { ...known, token };
  // a JWT authenticates as the app itself; any other token as an installation of the default app
  if (token.split(".").length === 3) return { appId: jwtAppId(token, state.appId), installationId: null, token };
  return { appId: state.appId, installationId: 0, token };
}

export interface Dispatch {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  route: string | null;
  graphql: boolean;
}

/** One request, however it arrived. */
export interface SimRequest {
  method: string;
  /** Path and query string. */
  url: string;
  authorization?: string;
  accept?: string;
  body: Buffer;
}

async function dispatch(state: SimState, req: SimRequest): Promise<Dispatch> {
  const url = new URL(req.url, "http://sim.invalid");
  const method = req.method.toUpperCase();
  const violation = (message: string) => state.violations.push({ method, path: url.pathname, message });
  const raw = req.body;
  const isGraphql = url.pathname === "/graphql";

  const caller = callerOf(state, req.authorization);
  if (!caller) {
    violation("request without an authorization header");
    return {
      status: 401,
      body: errorBody(401, "Requires authentication", "https://docs.github.com/rest"),
      route: null,
      graphql: isGraphql,
    };
  }

  let body: unknown;
  const bodyPresent = raw.length > 0;
  if (bodyPresent) {
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      violation("request body is not valid JSON");
      return {
        status: 400,
        body: errorBody(400, "Problems parsing JSON", "https://docs.github.com/rest"),
        route: null,
        graphql: isGraphql,
      };
    }
  }

  if (isGraphql) {
    if (method !== "POST") {
      violation(`${method} /graphql is not supported`);
      return {
        status: 404,
        body: errorBody(404, "Not Found", "https://docs.github.com/graphql"),
        route: "/graphql",
        graphql: true,
      };
    }
    const outcome = await executeGraphql(state, body, caller);
    for (const m of outcome.violations) violation(`GraphQL: ${m}`);
    return { status: 200, body: outcome.body, route: "/graphql", graphql: true };
  }

  const match = matchRoute(method, url.pathname);
  if (!match || !("operation" in match)) {
    violation(
      match
        ? `${method} is not allowed here (allowed: ${match.allowed.join(", ")})`
        : "no such route in GitHub's OpenAPI description",
    );
    return {
      status: 404,
      body: errorBody(404, "Not Found", "https://docs.github.com/rest"),
      route: null,
      graphql: false,
    };
  }
  const op = match.operation;
  const key = `${method} ${op.template}`;
  const problems = [...validateParams(op, match.params, url.searchParams), ...validateBody(op, body, bodyPresent)];
  if (problems.length === 0) problems.push(...(extraLimits[key]?.(body) ?? []));
  if (problems.length) {
    violation(`${op.operationId}: ${problems.map((p) => `${p.field}: ${p.message}`).join("; ")}`);
    const message = `Invalid request.\n\n${problems.map((p) => p.message).join("\n")}`;
    const errors = problems.map((p) => ({
      resource: op.operationId.split("/")[0],
      field: p.field,
      code: p.code,
      message: p.message,
    }));
    return {
      status: 422,
      body: errorBody(422, message, op.documentationUrl, errors),
      route: op.template,
      graphql: false,
    };
  }

  const handler = handlers[key];
  if (!handler) {
    violation(`${op.operationId} exists on GitHub but the simulator does not serve it`);
    return {
      status: 501,
      body: errorBody(501, `The simulator does not implement ${key}`, op.documentationUrl),
      route: op.template,
      graphql: false,
    };
  }
  let result: RouteResult;
  try {
    result = handler({
      state,
      params: match.params,
      query: url.searchParams,
      body,
      caller,
      url,
      accept: req.accept ?? "",
    });
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    if (e.status !== 404) violation(`${op.operationId}: ${e.status} ${e.message}`);
    return {
      status: e.status,
      body: errorBody(e.status, e.message, op.documentationUrl, e.errors),
      route: op.template,
      graphql: false,
    };
  }
  return {
    status: result.status,
    body: result.raw ?? result.body,
    headers: result.headers,
    route: op.template,
    graphql: false,
  };
}

/** A simulator bug (or an unreadable request) answers 500 or its HttpError status, recorded as a violation. */
function failure(state: SimState, req: SimRequest, e: unknown): Dispatch {
  const message =
    e instanceof HttpError ? e.message : `simulator error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
  const status = e instanceof HttpError ? e.status : 500;
  state.violations.push({ method: req.method.toUpperCase(), path: req.url.split("?")[0], message });
  const graphql = req.url.startsWith("/graphql");
  return { status, body: errorBody(status, message, "https://docs.github.com/rest"), route: null, graphql };
}

function record(state: SimState, req: SimRequest, d: Dispatch): Dispatch {
  const { route, status, graphql } = d;
  let body: unknown;
  try {
    body = req.body.length ? JSON.parse(req.body.toString("utf8")) : undefined;
  } catch {
    body = undefined;
  }
  state.requests.push({ method: req.method.toUpperCase(), path: req.url, route, status, graphql, body });
  return d;
}

/** Answers one request and records it. */
export async function handle(state: SimState, req: SimRequest): Promise<Dispatch> {
  return record(state, req, await dispatch(state, req).catch((e: unknown) => failure(state, req, e)));
}

/** The response's headers, GitHub's: JSON, a request id, rate-limit figures. */
export function responseHeaders(d: Dispatch): Record<string, string> {
  return {
    "content-type": "application/json; charset=utf-8",
    "x-github-request-id": randomUUID().toUpperCase(),
    "x-github-media-type": "github.v3; format=json",
    "x-ratelimit-limit": "5000",
    "x-ratelimit-remaining": "4999",
    "x-ratelimit-used": "1",
    "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
    "x-ratelimit-resource": "core",
    ...(d.headers ?? {}),
  };
}

/** The response body as sent: raw bytes, or JSON. */
export function responseText(d: Dispatch): Buffer | string {
  return Buffer.isBuffer(d.body) ? d.body : d.body === undefined ? "" : JSON.stringify(d.body);
}

function send(res: ServerResponse, d: Dispatch): void {
  res.writeHead(d.status, responseHeaders(d));
  res.end(responseText(d));
}

export function startServer(state: SimState, latencyMs: number): Promise<Server> {
  const server = createServer((req, res) => {
    const request = (body: Buffer): SimRequest => ({
      method: req.method ?? "GET",
      url: req.url ?? "/",
      authorization: req.headers.authorization,
      accept: req.headers.accept,
      body,
    });
    readBody(req)
      .then(
        (body) => handle(state, request(body)),
        (e: unknown) => record(state, request(Buffer.alloc(0)), failure(state, request(Buffer.alloc(0)), e)),
      )
      .then((d) => {
        if (latencyMs > 0) setTimeout(() => send(res, d), latencyMs);
        else send(res, d);
      });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}
