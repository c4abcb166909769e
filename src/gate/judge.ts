import picomatch from "picomatch";
import { manifestFilesFor } from "../config/environments.js";
import type { EnvironmentConfig } from "../config/types.js";
import type { SourceFile } from "../manifests/parse.js";
import type { Finding } from "../types.js";
import { byLocation, type Engine } from "./engine.js";
import { judgeRendered, type EnvironmentRender } from "./judge-rendered.js";
import type { FreezeFacts, PrInput } from "./pr-input.js";
import type { GateResult, OverrideRecord, Verdict } from "./verdict.js";

/** A changed manifest that was not read: not a regular file at the evaluated commit, or over the size limit. */
export interface Unreadable {
  path: string;
  why: "missing" | "symlink" | "submodule" | "directory" | "too-large";
  size?: number;
}

/** What one environment is judged on: everything gathered, nothing left to read. */
export interface JudgeInput {
  engine: Engine;
  env: EnvironmentConfig;
  /** The changed manifests at the evaluated commit. */
  files: SourceFile[];
  /** Changed manifests that were not read as files, and why. */
  unreadable: Unreadable[];
  /** Every path the change touches, and how many GitHub lists at most. */
  touched: string[];
  listCap: number;
  contentSha: string;
  limits: { max_file_bytes: number };
  /** Other open pull requests whose head is this same commit and that map this environment too. */
  sharedWith?: number[];
  /** PR-level facts: a pull request's (every gate), or a merge group's (the freeze gate only). */
  gates?: { kind: "pull"; input: PrInput } | { kind: "group"; input: PrInput };
  /** The environment's entry points rendered at the base and head (environments with `render:`). */
  render?: EnvironmentRender;
  nowMs: number;
}

/**
 * The verdict for one environment, complete: manifest findings, what the
 * evaluation could not see, and the PR-level gates. Pure: the same input
 * gives the same verdict; nothing changes it afterwards except `withOverride`,
 * which returns a new one.
 */
export function judge(input: JudgeInput): Verdict {
  const now = () => BigInt(input.nowMs) * 1_000_000n;
  // Files a render reads are judged through what it renders, not one by one (a patch is not an object).
  const reads = input.render?.reads;
  const files = reads ? input.files.filter((f) => !reads.has(f.path)) : input.files;
  const checked = input.engine.check(input.env.name, files);
  const rendered = input.render ? judgeRendered(input.engine, input.env, input.render) : undefined;
  const gates =
    input.gates?.kind === "pull"
      ? input.engine.checkGates(input.env.name, input.gates.input, { now })
      : input.gates?.kind === "group"
        ? input.engine.checkGates(input.env.name, input.gates.input, { now, only: ["freeze"] })
        : undefined;
  const shared = sharedHead(input);
  const allGates = gates || shared ? [...(gates ?? []), ...(shared ? [shared] : [])] : undefined;
  return {
    ...checked,
    findings: [
      ...visibilityProblems(input),
      ...(rendered ? [...checked.findings, ...rendered.findings].sort(byLocation) : checked.findings),
    ],
    ...(rendered
      ? {
          exemptions: [...checked.exemptions, ...rendered.exemptions].sort(byLocation),
          documentsChecked: checked.documentsChecked + rendered.documentsChecked,
          filesChecked: checked.filesChecked + rendered.filesChecked,
          rendered: rendered.rendered,
        }
      : {}),
    ...(allGates ? { gates: allGates } : {}),
  };
}

/**
 * A check run belongs to a commit, while approvals, labels and overrides
 * belong to a pull request: when several open pull requests into the same
 * environment share a head commit, the last one evaluated would decide the
 * check for all of them. That is refused, saying which pull requests collide.
 */
function sharedHead(input: JudgeInput): GateResult | undefined {
  if (!input.sharedWith?.length) return undefined;
  const others = input.sharedWith.map((n) => `#${n}`).join(", ");
  return {
    gate: "shared-head",
    state: "failed",
    messages: [
      `this head commit is also the head of ${others}, which also target${input.sharedWith.length > 1 ? "" : "s"} ` +
        `${input.env.name}; a check belongs to the commit, so gates of one pull request would pass the other — ` +
        `close the duplicates or push each change to its own branch`,
    ],
  };
}

/**
 * The verdict with an authorized override recorded (a new object). A failing
 * freeze wins over an override that does not break it explicitly: the
 * verdict stays blocking and its freeze gate says what it would take.
 */
export function withOverride(verdict: Verdict, override: OverrideRecord | undefined): Verdict {
  if (!override) return verdict;
  const frozen = (verdict.gates ?? []).some((g) => g.gate === "freeze" && g.state !== "passed");
  if (!frozen || override.breaksFreeze) return { ...verdict, override };
  const note =
    `the override by ${override.by.map((b) => `@${b}`).join(", ")} does not lift the freeze: that takes ` +
    `\`override ${verdict.environment} --break-freeze <reason>\` from people on both override.allowed and ` +
    `freeze.allowed`;
  return {
    ...verdict,
    gates: verdict.gates!.map((g) => (g.gate === "freeze" ? { ...g, messages: [...g.messages, note] } : g)),
  };
}

/** The verdict of an environment the change does not touch: green, so branch protection can require it. */
export function untouchedVerdict(env: EnvironmentConfig): Verdict {
  return {
    environment: env.name,
    mode: env.mode,
    findings: [],
    exemptions: [],
    filesChecked: 0,
    documentsChecked: 0,
    durationMs: 0,
  };
}

/**
 * What the evaluation could not see is a failure, never a silent pass: a
 * changed manifest that is not a regular file at the evaluated commit (a
 * symlink is applied as its target by deploy tools, a submodule as another
 * repository), one over the size limit, a changed path under the environment
 * that is not a manifest (a dot-file, an extensionless file: Stagegate did
 * not judge it, so it must be listed in `ignore` to pass), and changes beyond
 * the files GitHub lists.
 */
function visibilityProblems(input: JudgeInput): Finding[] {
  const failure = (ruleId: string, path: string, message: string): Finding => ({
    ruleId,
    message,
    severity: "failure",
    source: ruleId.startsWith("limit/") ? "limit" : "engine",
    location: { file: path, line: 1 },
  });
  const reads = input.render?.reads ?? new Set<string>();
  const mine = new Set(
    manifestFilesFor(
      input.env,
      input.unreadable.map((u) => u.path),
    ),
  );
  const out = input.unreadable
    .filter((u) => mine.has(u.path) && !reads.has(u.path))
    .map((u) => failure(u.why === "too-large" ? "limit/file-size" : "engine/unreadable", u.path, unreadable(u, input)));
  for (const path of unjudgedPaths(input.env, input.touched).filter((p) => !reads.has(p))) {
    out.push(
      failure(
        "engine/not-evaluated",
        path,
        `${path} changed under ${input.env.name} but is not a manifest Stagegate reads (\`manifests\`), so it was ` +
          `not judged; if the deploy tool never reads it, add it to environments.${input.env.name}.ignore`,
      ),
    );
  }
  if (input.touched.length >= input.listCap) {
    const cap = input.listCap.toLocaleString("en");
    out.push(
      failure(
        "limit/changed-files",
        input.touched[0],
        `this change touches ${cap} or more files; GitHub lists only the first ${cap}, so the rest could not be ` +
          `checked — split it`,
      ),
    );
  }
  return out;
}

function unreadable(u: Unreadable, input: JudgeInput): string {
  const at = input.contentSha.slice(0, 7);
  switch (u.why) {
    case "too-large":
      return `file is ${u.size} bytes, more than the limit of ${input.limits.max_file_bytes} bytes; it was not read`;
    case "symlink":
      return (
        `${u.path} is a symbolic link at ${at}; deploy tools apply its target, which was not checked — ` +
        `commit the manifest itself`
      );
    case "submodule":
      return `${u.path} is a submodule at ${at}: its content lives in another repository and was not checked`;
    default:
      return `could not read ${u.path} at ${at} as a file, so it was not checked`;
  }
}

/** Changed paths inside the environment (its `paths`, or anywhere for a branch environment) that are not manifests. */
export function unjudgedPaths(env: EnvironmentConfig, touched: string[]): string[] {
  const manifests = new Set(manifestFilesFor(env, touched));
  const inside = env.paths.length ? picomatch(env.paths, { dot: true }) : () => true;
  const ignored = env.ignore.length ? picomatch(env.ignore, { dot: true }) : () => false;
  return touched.filter((p) => inside(p) && !ignored(p) && !manifests.has(p));
}

/** The PR-level input for a merge group's commit: no pull request facts, just the freeze. */
export function groupGateInput(
  env: EnvironmentConfig,
  group: { baseRef: string; headSha: string },
  freeze: FreezeFacts,
  nowMs: number,
): PrInput {
  return {
    environment: { name: env.name, mode: env.mode, source: env.promote_from ?? null },
    pull_request: {
      number: 0,
      title: "merge group",
      body: "",
      author: "",
      author_association: "NONE",
      draft: false,
      labels: [],
      base: { ref: group.baseRef, sha: "" },
      head: { ref: "", sha: group.headSha },
      fork: false,
    },
    files: [],
    freeze,
    gates: env.gates,
    now_ns: nowMs * 1e6,
  };
}
