/** The incident issue and check text, and the marker that finds the issue again: on plain objects. */
import type { Incident } from "../../src/gate/incident.js";
import {
  incidentBody,
  incidentCheckOutput,
  incidentMarker,
  incidentTitle,
  parseIncidentMarker,
} from "../../src/gate/incident-text.js";
import { restoreEntries } from "../../src/gate/restore-plan.js";

const A = "a".repeat(40);
const B = "b".repeat(40);
const G = "9".repeat(40);
const c = (sha: string, title = "change") => ({ sha, title, author: "mallory", parents: [] });

const incident = (forced: boolean): Incident => ({
  env: "production",
  push: {
    branch: "production",
    before: A,
    after: B,
    pusher: "mallory",
    forced,
    added: [c(B)],
    dropped: forced ? [c(A)] : [],
  },
  ungated: [c(B, "sneak @alice <b>`x`</b>")],
  lastGated: { commit: c(G), evidence: { kind: "pull", sha: G, pull: 7, headSha: "7".repeat(40), merge: true } },
});

test("the marker survives a round trip and rejects what it did not write", () => {
  const m = { environment: "production", branch: "production", before: A, after: B, forced: true, lastGated: G };
  expect(parseIncidentMarker(`text\n${incidentMarker(m)}\n`)).toEqual(m);
  expect(parseIncidentMarker(incidentMarker({ ...m, lastGated: null }))).toEqual({ ...m, lastGated: null });
  expect(parseIncidentMarker(incidentMarker({ ...m, lastGated: "nope" }))?.lastGated).toBeNull();
  expect(parseIncidentMarker(incidentMarker({ ...m, after: "short" }))).toBeNull();
  expect(parseIncidentMarker("<!-- stagegate:incident {not json} -->")).toBeNull();
  expect(parseIncidentMarker(null)).toBeNull();
  expect(incidentMarker({ ...m, environment: "a--b" })).not.toContain("--b");
});

test("a force push says the history was rewritten and lists what was dropped", () => {
  const body = incidentBody(incident(true), "https://github.com/acme/gitops", "/gate");
  expect(incidentTitle(incident(true))).toBe(
    "Incident: production: history of `production` rewritten (force push) by mallory",
  );
  expect(body).toContain("**The history of `production` was rewritten**");
  expect(body).toContain(`**Commits dropped** (1):\n\n- [\`aaaaaaa\`](https://github.com/acme/gitops/commit/${A})`);
  expect(body).toContain(`**Last gated commit: [\`9999999\`](https://github.com/acme/gitops/commit/${G})**`);
  expect(body).toContain("`/gate restore production` here");
  expect(body).toContain("`/gate freeze production <reason>` here");
  expect(parseIncidentMarker(body)?.lastGated).toBe(G);
});

test("a direct push does not say rewritten; commit titles cannot mention or inject markup", () => {
  const body = incidentBody(incident(false), "https://github.com/acme/gitops", "/gate");
  expect(incidentTitle(incident(false))).toBe(
    "Incident: production: 1 ungated commit(s) pushed to `production` by mallory",
  );
  expect(body).not.toMatch(/rewritten|dropped/i);
  expect(body).toContain("sneak @\u200balice bx/b");
  expect(incidentCheckOutput(incident(false), "https://x/issues/3")).toEqual({
    title: "Incident: 1 ungated commit(s) on production",
    summary: expect.stringContaining(`The last gated commit is \`${G}\`.`),
  });
});

test("without a gated commit the issue asks for a sha", () => {
  const body = incidentBody({ ...incident(false), lastGated: undefined }, "https://g/x", "/deploy");
  expect(body).toContain("**No gated commit was found**");
  expect(body).toContain("`/deploy restore production <sha>`");
});

test("directory per environment: only the environment's files go back", () => {
  const inside = (p: string) => p.startsWith("envs/production/");
  const head = [
    { path: "README.md", sha: "r2" },
    { path: "envs/production/web.yaml", sha: "bad" },
    { path: "envs/production/new.yaml", sha: "n" },
    { path: "envs/staging/web.yaml", sha: "s2" },
  ];
  const target = [
    { path: "README.md", sha: "r1" },
    { path: "envs/production/web.yaml", sha: "good" },
    { path: "envs/production/gone.yaml", sha: "g" },
    { path: "envs/staging/web.yaml", sha: "s1" },
  ];
  expect(restoreEntries(head, target, inside)).toEqual([
    { path: "envs/production/gone.yaml", sha: "g" },
    { path: "envs/production/new.yaml", sha: null },
    { path: "envs/production/web.yaml", sha: "good" },
  ]);
  expect(restoreEntries(target, target, inside)).toEqual([]);
});
