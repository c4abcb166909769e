import picomatch from "picomatch";
import type { Probot } from "probot";
import { environmentsForPullRequest } from "../config/targeting.js";
import { GatedHistory } from "../gate/gated.js";
import type { CommitFact } from "../gate/incident-facts.js";
import { assessPush, type PushFacts } from "../gate/incident.js";
import { historyOf, type HistoryGateway } from "../github/history.js";
import { loadConfig } from "../pipeline/config-source.js";
import { depsFor, guarded, type AppState } from "./context.js";
import { reportIncident } from "./incident-report.js";

const ZERO = /^0+$/;

interface PushPayload {
  ref: string;
  before: string;
  after: string;
  forced: boolean;
  deleted: boolean;
  pusher: { name?: string };
  sender?: { login: string } | null;
  commits: Array<{ id: string; message: string; author?: { username?: string; name?: string }; [k: string]: unknown }>;
  repository: {
    owner: { login: string } | null;
    name: string;
    full_name: string;
    default_branch: string;
    html_url?: string;
  };
}

/**
 * A push to an environment's branch (or, directory per environment, to the default branch under an environment's
 * paths) that rewrites its history or adds commits no gated pull request or merge group produced is an incident:
 * a failing check on the new head and an issue naming the last gated commit. Reacts to the push itself, no polling.
 */
export function registerIncidents(app: Probot, state: AppState): void {
  app.on("push", async (context) => {
    const payload = context.payload as unknown as PushPayload;
    if (payload.deleted || !payload.ref.startsWith("refs/heads/") || ZERO.test(payload.after)) return;
    const branch = payload.ref.slice("refs/heads/".length);
    await guarded(context, "incident detection", async () => {
      const deps = await depsFor(state, context, payload.repository);
      const cfg = await loadConfig(deps.client);
      if (cfg.kind !== "ok") return; // no config: not ours; an invalid one already fails `stagegate / config`
      // Mapped by `branches`, or by `paths` alone when the push is to the default branch (directory per environment).
      const envs = environmentsForPullRequest(cfg.config, branch, cfg.branch);
      if (envs.length === 0) return;
      const history = historyOf(deps.client, deps.appId);
      const push = await pushFacts(history, payload, branch);
      const place = {
        repoUrl: payload.repository.html_url ?? `https://github.com/${payload.repository.full_name}`,
        prefix: cfg.config.commands.prefix,
      };
      for (const env of envs) {
        const match = env.paths.length ? picomatch(env.paths, { dot: true }) : undefined;
        const inside = (path: string) => !match || match(path);
        const concerns = (c: CommitFact) => !c.files || c.files.some(inside);
        // Directory per environment: a rewrite concerns the environments whose files differ between the heads.
        const forEnv = env.branches.length ? push : { ...push, forced: push.forced && push.changed.some(inside) };
        const incident = await assessPush(new GatedHistory(history, env.name, branch), history, forEnv, concerns);
        if (incident) await reportIncident(deps, env, incident, place);
      }
    });
  });
}

/** The push as GitHub knows it: compare old and new heads (both ways when the history was rewritten). */
async function pushFacts(
  history: HistoryGateway,
  p: PushPayload,
  branch: string,
): Promise<PushFacts & { changed: string[] }> {
  const files = new Map(
    p.commits.map((c) => [c.id, ["added", "modified", "removed"].flatMap((k) => (c[k] as string[] | undefined) ?? [])]),
  );
  const withFiles = (c: CommitFact): CommitFact => (files.has(c.sha) ? { ...c, files: files.get(c.sha) } : c);
  const pusher = p.sender?.login ?? p.pusher.name ?? "unknown";
  const base = { branch, before: p.before, after: p.after, pusher };
  const fromPayload = p.commits.map((c) =>
    withFiles({
      sha: c.id,
      title: c.message.split("\n")[0],
      author: c.author?.username ?? c.author?.name ?? "",
      parents: [],
    }),
  );
  const changed = [...new Set([...files.values()].flat())];
  if (ZERO.test(p.before)) return { ...base, forced: false, added: fromPayload, dropped: [], changed };
  const ahead = await history.compare(p.before, p.after);
  if (!ahead) {
    // GitHub no longer knows the old head (collected after a rewrite): what the payload says is all there is.
    return { ...base, forced: p.forced, added: fromPayload, dropped: [], base: p.after, changed };
  }
  const forced = p.forced || ahead.behindBy > 0;
  const behind = forced ? await history.compare(p.after, p.before) : undefined;
  return {
    ...base,
    forced,
    added: ahead.commits.map(withFiles),
    dropped: behind?.commits ?? [],
    base: forced ? ahead.mergeBase : p.before,
    changed: [...new Set([...changed, ...ahead.files, ...(behind?.files ?? [])])],
  };
}
