import picomatch from "picomatch";
import { gatesOf } from "./gates.js";
import type { PathSegment } from "./locate.js";
import type { PathProblem } from "./problems.js";
import { renderProblems } from "./render.js";
import type { EnvironmentConfig, FreezeWindow, StagegateConfig } from "./types.js";

/**
 * Rules the JSON Schema cannot express. Runs even when the schema found
 * problems (so that a user sees everything at once), hence every read below
 * tolerates values of the wrong shape: those are the schema's to report.
 */
export function crossFieldProblems(data: unknown): PathProblem[] {
  const config = asConfig(data);
  if (!config) return [];
  const problems: PathProblem[] = [];
  const add = (path: PathSegment[], message: string, at: "key" | "value" = "value") =>
    problems.push({ path, at, message });

  globProblems(["policies", "paths"], config.policies?.paths, add);
  globProblems(["policies", "data"], config.policies?.data, add);
  list(config.schemas?.custom).forEach((c, i) => {
    if (!isObject(c)) return;
    const path = ["schemas", "custom", i];
    globProblems([...path, "files"], c.files, add);
    if (!c.apiVersion && !c.kind && !list(c.files).length) {
      add(path, "needs at least one of apiVersion, kind or files to say which documents the schema applies to");
    }
  });

  const names = Object.keys(config.environments);
  for (const [name, env] of Object.entries(config.environments)) {
    if (isObject(env)) environmentProblems(name, env, names, add);
  }
  cycleProblems(config, add);
  return problems;
}

type Add = (path: PathSegment[], message: string, at?: "key" | "value") => void;

function environmentProblems(name: string, env: EnvironmentConfig, names: string[], add: Add): void {
  const base = ["environments", name];
  if (!Array.isArray(env.branches) && !Array.isArray(env.paths)) return; // wrong shapes: the schema reports them
  if (list(env.branches).length === 0 && list(env.paths).length === 0) {
    add(base, "needs `branches` or `paths` (or both) to say which pull requests target it", "key");
  }
  for (const key of ["branches", "paths", "manifests", "ignore"] as const) {
    globProblems([...base, key], env[key], add);
  }
  for (const p of renderProblems([...base, "render"], env.render)) add(p.path, p.message, p.at);
  if (typeof env.promote_from === "string" && !names.includes(env.promote_from)) {
    add(
      [...base, "promote_from"],
      `no environment named ${JSON.stringify(env.promote_from)} (environments: ${names.join(", ")})`,
    );
  }
  const gates = isObject(env.gates) ? gatesOf(env) : {};
  if (env.promote_from === undefined) {
    for (const key of ["soak", "promotion"] as const) {
      if (gates[key] !== undefined) add([...base, "gates", key], "needs `promote_from` on the environment", "key");
    }
  }
  list(gates.verified_by).forEach((entry, i) => {
    if (isObject(entry) && entry.app === undefined && entry.creator === undefined)
      add(
        [...base, "gates", "verified_by", i],
        "needs `app` (a GitHub App's slug) or `creator` (a login) to say whose reports to trust; " +
          "a plain name trusts any source",
      );
  });
  const override = isObject(env.override) ? env.override : undefined;
  const allowed = isObject(override?.allowed) ? override.allowed : undefined;
  const users = list(allowed?.users);
  if (
    allowed &&
    list(allowed.teams).length === 0 &&
    users.length > 0 &&
    typeof override?.required === "number" &&
    override.required > users.length
  ) {
    add([...base, "override", "required"], `is ${override.required} but only ${users.length} user(s) may override`);
  }
  const windows = isObject(env.freeze) ? list(env.freeze.windows) : [];
  windows.forEach((w, i) => {
    if (isObject(w)) windowProblems([...base, "freeze", "windows", i], w as unknown as FreezeWindow, add);
  });
}

function windowProblems(path: PathSegment[], w: FreezeWindow, add: Add): void {
  if ((w.weekly === undefined) === (w.cron === undefined)) {
    add(path, "needs exactly one of `weekly` or `cron`");
  }
  if (w.cron !== undefined && w.weekly === undefined && w.duration === undefined)
    add(path, "`cron` needs a `duration`, such as 2h");
  if (w.weekly !== undefined && w.duration !== undefined) {
    add([...path, "duration"], "only applies to `cron` windows; a weekly range has its own end", "key");
  }
  if (typeof w.cron === "string") {
    const bad = cronFieldProblem(w.cron);
    if (bad) add([...path, "cron"], bad);
  }
  if (typeof w.weekly === "string") {
    const [from, to] = w.weekly.split(" - ");
    if (from === to) add([...path, "weekly"], "starts and ends at the same time");
  }
  if (typeof w.timezone === "string" && !isTimeZone(w.timezone)) {
    add(
      [...path, "timezone"],
      `unknown time zone ${JSON.stringify(w.timezone)} (use an IANA name such as Europe/Berlin or UTC)`,
    );
  }
}

// minute hour day-of-month month day-of-week; names allowed in the last two.
const CRON_FIELDS: [string, RegExp][] = [
  ["minute", /^[\d*,/-]+$/],
  ["hour", /^[\d*,/-]+$/],
  ["day of month", /^[\d*,/?LW-]+$/],
  ["month", /^[\dA-Za-z*,/-]+$/],
  ["day of week", /^[\dA-Za-z*,/?L#-]+$/],
];

function cronFieldProblem(cron: string): string | undefined {
  const fields = cron.trim().split(/\s+/);
  for (let i = 0; i < CRON_FIELDS.length; i++) {
    const [label, re] = CRON_FIELDS[i];
    if (!re.test(fields[i] ?? ""))
      return `invalid ${label} field ${JSON.stringify(fields[i] ?? "")} in cron expression`;
  }
  return undefined;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function globProblems(path: PathSegment[], globs: unknown, add: Add): void {
  list(globs).forEach((glob, i) => {
    if (typeof glob !== "string") return;
    try {
      picomatch.makeRe(glob, { strictBrackets: true });
    } catch (e) {
      add([...path, i], `invalid glob ${JSON.stringify(glob)}: ${(e as Error).message}`);
    }
  });
}

/** Reports each promote_from loop once, at the first of its environments in file order. */
function cycleProblems(config: StagegateConfig, add: Add): void {
  const reported = new Set<string>();
  for (const start of Object.keys(config.environments)) {
    const chain: string[] = [];
    let current: string | undefined = start;
    while (typeof current === "string" && Object.hasOwn(config.environments, current) && !chain.includes(current)) {
      chain.push(current);
      const env: unknown = config.environments[current];
      current = isObject(env) ? (env as unknown as EnvironmentConfig).promote_from : undefined;
    }
    if (current !== start) continue; // no loop through `start` (maybe a loop further on, reported from there)
    const loop = [...chain, start];
    if (chain.some((n) => reported.has(n))) continue;
    chain.forEach((n) => reported.add(n));
    add(["environments", start, "promote_from"], `promotion cycle: ${loop.join(" → ")}`);
  }
}

function asConfig(data: unknown): StagegateConfig | undefined {
  if (!isObject(data) || !isObject(data.environments)) return undefined;
  return data as unknown as StagegateConfig;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function list(x: unknown): unknown[] {
  return Array.isArray(x) ? x : [];
}
