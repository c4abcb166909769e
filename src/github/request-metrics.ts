import { Counter, Gauge, type Registry } from "prom-client";
import type { Octokit } from "./types.js";

/** GitHub requests by route and status, and the rate limit GitHub last reported, for `/metrics`. */
export class RequestMetrics {
  readonly requests: Counter<"method" | "route" | "status">;
  readonly rateLimitRemaining: Gauge<"resource">;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: "stagegate_github_requests_total",
      help: "GitHub API requests by method, route template and HTTP status (0: no response).",
      labelNames: ["method", "route", "status"],
      registers: [registry],
    });
    this.rateLimitRemaining = new Gauge({
      name: "stagegate_github_rate_limit_remaining",
      help: "x-ratelimit-remaining of the last GitHub response, by rate-limit resource (core, graphql …).",
      labelNames: ["resource"],
      registers: [registry],
    });
  }

  /** An octokit plugin that records every request (retries included) of the instances it is applied to. */
  plugin(): (octokit: Pick<Octokit, "hook">) => void {
    return (octokit) => {
      octokit.hook.wrap("request", async (request, options) => {
        // The route template (`/repos/{owner}/{repo}/check-runs`) keeps the label set small.
        const route = routeOf(String(options.url ?? ""));
        const method = String(options.method ?? "GET");
        try {
          const res = await request(options);
          this.record(method, route, res.status, res.headers as Record<string, string | undefined>);
          return res;
        } catch (err) {
          const e = err as { status?: number; response?: { headers?: Record<string, string | undefined> } };
          this.record(method, route, e.status ?? 0, e.response?.headers);
          throw err;
        }
      });
    };
  }

  private record(method: string, route: string, status: number, headers?: Record<string, string | undefined>) {
    this.requests.inc({ method, route, status: String(status) });
    const remaining = Number(headers?.["x-ratelimit-remaining"]);
    if (headers?.["x-ratelimit-remaining"] !== undefined && Number.isFinite(remaining)) {
      this.rateLimitRemaining.set({ resource: headers["x-ratelimit-resource"] ?? "core" }, remaining);
    }
  }
}

/**
 * A bounded label for a request: octokit passes the route template (`/repos/{owner}/{repo}/pulls`) for most
 * requests, but paginated ones arrive as concrete URLs; their owner, repository, numbers and SHAs are folded.
 */
export function routeOf(url: string): string {
  const path = url.replace(/^https?:\/\/[^/]+/, "").split("?")[0];
  if (!path) return "unknown";
  return path
    .replace(/^(\/api\/v3)?\/repos\/[^/{}]+\/[^/{}]+/, "/repos/{owner}/{repo}")
    .split("/")
    .map((seg) => (/^\d+$/.test(seg) ? "{number}" : /^[0-9a-f]{40}$/.test(seg) ? "{sha}" : seg))
    .join("/");
}
