/** Shared shapes of route handlers, and GitHub-style pagination. */
import { HttpError, type RepoState, type SimState } from "./state.js";

export interface Caller {
  appId: number;
  installationId: number | null;
  token: string;
}

export interface RouteContext {
  state: SimState;
  params: Record<string, string>;
  query: URLSearchParams;
  body: any;
  caller: Caller;
  url: URL;
  /** The request's Accept header (media types like `application/vnd.github.raw`). */
  accept: string;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as is instead of JSON (raw media types). */
  raw?: Buffer;
}

export type Handler = (ctx: RouteContext) => RouteResult;
/** Keyed by `METHOD /openapi/template`. */
export type RouteTable = Record<string, Handler>;

export function ok(body: unknown, status = 200, headers?: Record<string, string>): RouteResult {
  return { status, body, headers };
}

export function repoOf(ctx: RouteContext): RepoState {
  return ctx.state.repo(ctx.params.owner, ctx.params.repo);
}

export function intParam(ctx: RouteContext, name: string): number {
  const n = Number(ctx.params[name]);
  if (!Number.isInteger(n) || n <= 0) throw new HttpError(404, "Not Found");
  return n;
}

/**
 * One page of `items` with a Link header like GitHub's. per_page is capped at
 * 100 (GitHub silently caps it); `max` caps the whole list (3000 PR files).
 */
export function paginate<T>(ctx: RouteContext, items: T[], max = Infinity): RouteResult {
  const perPage = Math.min(Math.max(Number(ctx.query.get("per_page") ?? 30) || 30, 1), 100);
  const page = Math.max(Number(ctx.query.get("page") ?? 1) || 1, 1);
  const all = items.slice(0, max);
  const last = Math.max(Math.ceil(all.length / perPage), 1);
  const slice = all.slice((page - 1) * perPage, page * perPage);
  const link = (p: number, rel: string) => {
    const u = new URL(ctx.url.toString());
    u.searchParams.set("per_page", String(perPage));
    u.searchParams.set("page", String(p));
    return `<${ctx.state.url}${u.pathname}${u.search}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, "prev"));
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  if (page > 1) links.push(link(1, "first"));
  return ok(slice, 200, links.length ? { link: links.join(", ") } : undefined);
}
