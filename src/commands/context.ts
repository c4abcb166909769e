import type { GitHubRepoReader } from "../github/repo-reader.js";
import type { Deps, Trigger } from "../pipeline/evaluate.js";
import type { EnvironmentConfig, StagegateConfig } from "../config/types.js";
import type { PullRequest } from "../github/types.js";
import type { Command } from "./parse.js";
import type { GitHubClient } from "../github/client.js";

/** Everything a command action needs about where it was typed and by whom. */
export interface CommandContext {
  command: Command;
  /** Who typed the command. */
  user: string;
  /** The GitHub gateway for the repository the command was typed in. */
  gh: GitHubClient;
  deps: Deps;
  config: StagegateConfig;
  /** Default branch and its commit: the revision of config and policies. */
  defaultBranch: string;
  configSha: string;
  reader: GitHubRepoReader;
  pr: PullRequest;
  /** Environments the PR targets (its checks), in config order. */
  targets: EnvironmentConfig[];
  /** `https://github.com/owner/repo` (or the GHE host's), from the payload. */
  repoUrl: string;
  prefix: string;
  /** Per command, so a redelivered comment stays idempotent and two commands in one comment both evaluate. */
  trigger: Trigger;
  /** Re-evaluates open PRs (coalesced per PR). */
  reevaluate(numbers: number[], reason: string): Promise<void>;
}

export type OutcomeStatus = "success" | "failure" | "unknown";

/** What a command did: the reaction it earns, and what to say (nothing when there is nothing to say). */
export interface Outcome {
  status: OutcomeStatus;
  replies: string[];
}

export const done = (...replies: string[]): Outcome => ({ status: "success", replies });
export const failed = (...replies: string[]): Outcome => ({ status: "failure", replies });

/** An environment by name, case-insensitively. */
export function findEnvironment(config: StagegateConfig, name: string | undefined): EnvironmentConfig | undefined {
  if (!name) return undefined;
  return Object.values(config.environments).find((e) => e.name.toLowerCase() === name.toLowerCase());
}

export function environmentList(config: StagegateConfig): string {
  return Object.keys(config.environments)
    .map((n) => `\`${n}\``)
    .join(", ");
}

export function unknownEnvironment(ctx: CommandContext, name: string | undefined): Outcome {
  const what = name ? `There is no environment \`${name}\`` : "Name an environment";
  return failed(`${what}. Environments: ${environmentList(ctx.config)}.`);
}

export function noTargets(ctx: CommandContext): Outcome {
  return failed(
    `This pull request targets no Stagegate environment: its base branch \`${ctx.pr.baseRef}\` maps to none ` +
      `in \`.github/stagegate.yml\`. ` +
      `Environments: ${environmentList(ctx.config)}.`,
  );
}

/** `@user` mention-free display (a code span does not notify). */
export const code = (s: string) => "`" + s.replace(/`/g, "ˋ") + "`";
