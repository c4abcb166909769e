import type { EnvironmentConfig, StagegateConfig } from "../config/types.js";
import { gatesOf } from "../config/gates.js";
import type { PromotionFacts } from "../gate/pr-input.js";
import { defaultPathMap } from "./content-compare.js";
import { contentFacts, contentSoak } from "./promotion-content.js";
import { FactsError, type PullFacts, type PullFile, type PullInfo } from "./pull-facts.js";
import { verification } from "./verification.js";

/**
 * Promotion facts: whether the PR's change already went through the source
 * stage, whether the source stage reported it healthy (`verified_by`), and
 * since when it has been there (`soak`).
 */

export interface PromotionRequest {
  pr: PullInfo;
  files: PullFile[];
  env: EnvironmentConfig;
  config: StagegateConfig;
  verification: boolean;
  soak: boolean;
}

/** A plain branch name (no glob characters), usable as a ref. */
function plainBranch(env: EnvironmentConfig): string | undefined {
  const b = env.branches[0];
  return b !== undefined && !/[*?[\]{}()!+@]/.test(b) ? b : undefined;
}

export function promotionMode(env: EnvironmentConfig, source: EnvironmentConfig): "commits" | "content" {
  const configured = gatesOf(env).promotion?.mode;
  if (configured) return configured;
  const from = plainBranch(source);
  // branch per environment → commits; directory per environment (same branch) → content
  return from !== undefined && from !== plainBranch(env) && env.branches.length > 0 ? "commits" : "content";
}

export async function gatherPromotion(facts: PullFacts, req: PromotionRequest): Promise<PromotionFacts> {
  const { env, config } = req;
  const sourceName = env.promote_from!;
  const source = config.environments[sourceName];
  if (!source) throw new FactsError(`promote_from names unknown environment ${JSON.stringify(sourceName)}`);
  const mode = promotionMode(env, source);
  const out: PromotionFacts = {
    source: sourceName,
    mode,
    commits_not_in_source: [],
    files_not_in_source: [],
    verification: [],
    in_source_since_ns: null,
  };
  let sourceRef: string;
  if (mode === "commits") {
    const branch = plainBranch(source);
    if (!branch)
      throw new FactsError(
        `promotion from ${sourceName} by commits needs a plain branch name as the first of ` +
          `${sourceName}'s \`branches\``,
      );
    const ahead = await notInSource(facts, branch, req.pr.headSha);
    out.commits_not_in_source = ahead.commits;
    sourceRef = ahead.baseSha ?? branch;
    if (req.soak && ahead.commits.length === 0)
      out.in_source_since_ns = await commitsSoak(facts, req.pr.headSha, sourceRef);
  } else {
    // the source stage's content: its own branch when it has one, else the branch the PR merges into
    const branch = plainBranch(source) ?? req.pr.baseRef;
    const pathMap = gatesOf(env).promotion?.path_map ?? defaultPathMap(source.paths, env.paths);
    if (!pathMap && plainBranch(source) === undefined) {
      throw new FactsError(`cannot map ${env.name}'s files to ${sourceName}'s: set gates.promotion.path_map`);
    }
    sourceRef = (await facts.branchSha(branch)) ?? branch;
    const mapped = await contentFacts(
      facts,
      { env, files: req.files, headSha: req.pr.headSha },
      pathMap ?? { from: "", to: "" },
      sourceRef,
    );
    out.files_not_in_source = mapped.missing;
    if (req.soak && mapped.missing.length === 0)
      out.in_source_since_ns = await contentSoak(facts, mapped.sourcePaths, sourceRef);
  }
  if (req.verification) out.verification = await verification(facts, sourceRef, gatesOf(env));
  return out;
}

/** The head's commits not yet in the source branch, and the commit the branch is at. */
async function notInSource(
  facts: PullFacts,
  branch: string,
  head: string,
): Promise<{ commits: string[]; baseSha: string | undefined }> {
  const cmp = await facts.compare(branch, head);
  if (!cmp)
    throw new FactsError(
      `cannot compare ${head.slice(0, 7)} with branch ${branch}: not found (does the source stage's branch exist?)`,
    );
  // GitHub lists at most 250 commits of a comparison; the policy lists a few anyway
  return { commits: cmp.aheadBy > 0 ? cmp.commits.map((c) => c.sha) : [], baseSha: cmp.base?.sha };
}

/**
 * Commits mode, approximate: the PR head reached the source branch with the
 * first source commit that has the head as a parent (a merge or the next
 * commit of a fast-forward), else the oldest source commit after the head;
 * when the source branch is at the head itself, the head's committer date.
 */
async function commitsSoak(facts: PullFacts, headSha: string, sourceSha: string): Promise<number | null> {
  const cmp = await facts.compare(headSha, sourceSha);
  if (!cmp) throw new FactsError(`cannot compare ${headSha.slice(0, 7)} with ${sourceSha.slice(0, 7)}: not found`);
  if (cmp.behindBy > 0) return null; // the head is not contained in the source
  const child = cmp.commits.find((c) => c.parents.includes(headSha)) ?? cmp.commits[0];
  const date = child ? child.committedAt : cmp.base?.committedAt;
  return typeof date === "string" ? Date.parse(date) * 1e6 : null;
}
