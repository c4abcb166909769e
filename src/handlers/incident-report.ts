import type { EnvironmentConfig } from "../config/types.js";
import { checkName } from "../config/targeting.js";
import type { Incident } from "../gate/incident.js";
import {
  INCIDENT_ENV_LABEL,
  INCIDENT_LABEL,
  incidentBody,
  incidentCheckOutput,
  incidentTitle,
  parseIncidentMarker,
} from "../gate/incident-text.js";
import type { Deps } from "../pipeline/deps.js";

export interface ReportPlace {
  repoUrl: string;
  prefix: string;
}

/**
 * Shows an incident: one issue per environment and push (a redelivered push finds the issue it opened by its
 * marker), then a completed check `stagegate / <env>` on the new head that fails (`warn` environments: neutral)
 * and links the issue. `shadow` environments only log.
 */
export async function reportIncident(
  deps: Deps,
  env: EnvironmentConfig,
  incident: Incident,
  place: ReportPlace,
): Promise<{ issue?: number; check?: number }> {
  const { push } = incident;
  const log = { environment: env.name, branch: push.branch, before: push.before, after: push.after };
  deps.log.warn(
    { ...log, forced: push.forced, ungated: incident.ungated.length, lastGated: incident.lastGated?.commit.sha },
    env.mode === "shadow" ? "incident (shadow mode: not reported)" : "incident",
  );
  if (env.mode === "shadow") return {};
  const gh = deps.client;
  const same = (await gh.issues.openIssues(INCIDENT_ENV_LABEL(env.name))).find((i) => {
    const m = i.appId === deps.appId ? parseIncidentMarker(i.body) : null;
    return m?.environment === env.name && m.after === push.after && m.before === push.before;
  });
  const issue =
    same !== undefined
      ? { number: same.number, htmlUrl: same.url }
      : await gh.issues.createIssue(incidentTitle(incident), incidentBody(incident, place.repoUrl, place.prefix), [
          INCIDENT_LABEL,
          INCIDENT_ENV_LABEL(env.name),
        ]);
  const externalId = `incident:${env.name}:${push.before}`;
  const runs = await gh.checks.list(push.after, deps.appId);
  const existing = runs.find((r) => r.externalId === externalId && r.name === checkName(env.name));
  const check =
    existing?.id ??
    (await gh.checks.create({
      name: checkName(env.name),
      headSha: push.after,
      externalId,
      detailsUrl: issue.htmlUrl,
      conclusion: env.mode === "enforce" ? "failure" : "neutral",
      output: incidentCheckOutput(incident, issue.htmlUrl),
    }));
  return { issue: issue.number, check };
}
