/** App authentication: installation access tokens (any JWT is accepted), app metadata, installations. */
import { randomBytes } from "node:crypto";
import { appJson, repoJson, userJson } from "./present.js";
import { HttpError } from "./state.js";
import { intParam, ok, paginate, repoOf, type RouteContext, type RouteTable } from "./routes.js";

/** The app id a JWT claims (`iss`), or the simulator's default when it cannot be read. */
export function jwtAppId(token: string, fallback: number): number {
  const payload = token.split(".")[1];
  if (!payload) return fallback;
  try {
    const iss = Number((JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { iss?: unknown }).iss);
    return Number.isInteger(iss) && iss > 0 ? iss : fallback;
  } catch {
    return fallback;
  }
}

function requireJwt(ctx: RouteContext): void {
  if (ctx.caller.installationId !== null || ctx.caller.token.split(".").length !== 3) {
    throw new HttpError(401, "A JSON web token could not be decoded");
  }
}

function installationJson(ctx: RouteContext, id: number) {
  const repo = [...ctx.state.repos.values()].find((r) => r.installationId === id);
  const account = repo?.owner ?? "stagegate-org";
  return {
    id,
    account: { ...userJson(account, ctx.state.url), type: "Organization" },
    repository_selection: "selected",
    access_tokens_url: `${ctx.state.url}/app/installations/${id}/access_tokens`,
    repositories_url: `${ctx.state.url}/installation/repositories`,
    html_url: `https://github.com/organizations/${account}/settings/installations/${id}`,
    app_id: ctx.caller.appId,
    app_slug: ctx.state.appSlug,
    target_id: userJson(account).id,
    target_type: "Organization",
    permissions: appJson(ctx.state.url, ctx.caller.appId, ctx.state.appSlug).permissions,
    events: appJson(ctx.state.url, ctx.caller.appId, ctx.state.appSlug).events,
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
    suspended_at: null,
  };
}

export const authRoutes: RouteTable = {
  "POST /app/installations/{installation_id}/access_tokens": (ctx) => {
    requireJwt(ctx);
    const installationId = intParam(ctx, "installation_id");
    const token = `ghs_${randomBytes(18).toString("base64url")}`;
    ctx.state.tokens.set(token, { appId: ctx.caller.appId, installationId });
    return ok(
      {
        token,
        expires_at: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, "Z"),
        permissions: appJson(ctx.state.url, ctx.caller.appId, ctx.state.appSlug).permissions,
        repository_selection: "selected",
      },
      201,
    );
  },
  "GET /app": (ctx) => {
    requireJwt(ctx);
    return ok(appJson(ctx.state.url, ctx.caller.appId, ctx.state.appSlug));
  },
  "GET /app/installations": (ctx) => {
    requireJwt(ctx);
    const ids = [...new Set([...ctx.state.repos.values()].map((r) => r.installationId))].sort((a, b) => a - b);
    return paginate(
      ctx,
      ids.map((id) => installationJson(ctx, id)),
    );
  },
  "GET /installation/repositories": (ctx) => {
    if (ctx.caller.installationId === null) throw new HttpError(403, "This endpoint requires an installation token");
    const repos = [...ctx.state.repos.values()].filter((r) => r.installationId === ctx.caller.installationId);
    const page = paginate(ctx, repos.map(repoJson));
    return { ...page, body: { total_count: repos.length, repository_selection: "selected", repositories: page.body } };
  },
  "GET /app/installations/{installation_id}": (ctx) => {
    requireJwt(ctx);
    return ok(installationJson(ctx, intParam(ctx, "installation_id")));
  },
  "GET /repos/{owner}/{repo}/installation": (ctx) => {
    requireJwt(ctx);
    return ok(installationJson(ctx, repoOf(ctx).installationId));
  },
};
