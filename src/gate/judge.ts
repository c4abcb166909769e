import { manifestFilesFor } from "../config/environments.js";
import type { EnvironmentConfig } from "../config/types.js";
import type { SourceFile } from "../manifests/parse.js";
import type { Finding } from "../types.js";
import type { Engine } from "./engine.js";
import type { FreezeFacts, PrInput } from "./pr-input.js";
import type { OverrideRecord, Verdict } from "./verdict.js";

/** What one environment is judged on: everything gathered, nothing left to read. */
export interface JudgeInput {
  engine: Engine;
  env: EnvironmentConfig;
  /** The changed manifests at the evaluated commit. */
  files: SourceFile[];
  /** Changed paths that could not be read as files (submodules, symlinks). */
  unreadable: string[];
  /** Every path the change touches, and how many GitHub lists at most. */
  touched: string[];
  listCap: number;
  contentSha: string;
  /** PR-level facts: a pull request's (every gate), or a merge group's (the freeze gate only). */
  gates?: { kind: "pull"; input: PrInput } | { kind: "group"; input: PrInput };
  nowMs: number;
}

/**
 * The verdict for one environment, complete: manifest findings, what the
 * evaluation could not see, and the PR-level gates. Pure: the same input
 * gives the same verdict; nothing changes it afterwards except `withOverride`,
 * which returns a new one.
 */
export function judge(input: JudgeInput): Verdict {
  const checked = input.engine.check(input.env.name, input.files);
  const now = () => BigInt(input.nowMs) * 1_000_000n;
  const gates =
    input.gates?.kind === "pull"
      ? input.engine.checkGates(input.env.name, input.gates.input, { now })
      : input.gates?.kind === "group"
        ? input.engine.checkGates(input.env.name, input.gates.input, { now, only: ["freeze"] })
        : undefined;
  return {
    ...checked,
    findings: [...visibilityProblems(input), ...checked.findings],
    ...(gates ? { gates } : {}),
  };
}

/** The verdict with an authorized override recorded (a new object). */
export function withOverride(verdict: Verdict, override: OverrideRecord | undefined): Verdict {
  return override ? { ...verdict, override } : verdict;
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
 * changed manifest that is not a readable file at the evaluated commit (a
 * submodule, a symlink), and changes beyond the files GitHub lists.
 */
function visibilityProblems(input: JudgeInput): Finding[] {
  const mine = new Set(manifestFilesFor(input.env, input.unreadable));
  const out: Finding[] = input.unreadable
    .filter((p) => mine.has(p))
    .map((path) => ({
      ruleId: "engine/unreadable",
      message:
        `could not read ${path} at ${input.contentSha.slice(0, 7)} as a file (a submodule or symlink?), ` +
        `so it was not checked`,
      severity: "failure" as const,
      source: "engine" as const,
      location: { file: path, line: 1 },
    }));
  if (input.touched.length >= input.listCap) {
    const cap = input.listCap.toLocaleString("en");
    out.push({
      ruleId: "limit/changed-files",
      message: `this change touches ${cap} or more files; GitHub lists only the first ${cap}, so the rest could not be checked — split it`,
      severity: "failure",
      source: "limit",
      location: { file: input.touched[0], line: 1 },
    });
  }
  return out;
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
