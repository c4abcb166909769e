import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { ConfigError, DEFAULT_CONFIG_FILE, parseConfig } from "../config/load.js";
import type { StagegateConfig } from "../config/types.js";
import type { GitHubClient } from "../github/client.js";
import { GitHubRepoReader } from "../github/repo-reader.js";

export type ConfigState =
  | { kind: "absent" }
  | { kind: "invalid"; sha: string; error: ConfigError }
  | { kind: "ok"; sha: string; branch: string; config: StagegateConfig; reader: GitHubRepoReader };

/**
 * Reads `.github/stagegate.yml` from the default branch — never from the pull
 * request, so a PR cannot weaken its own gate — falling back to the owner's
 * `.github` repository (organization default) and honouring `_extends`.
 */
export function loadConfig(client: GitHubClient): Promise<ConfigState> {
  // One read per client (one webhook delivery): the pipeline and the policy check share it.
  let p = loaded.get(client);
  if (!p) {
    p = readConfig(client);
    loaded.set(client, p);
    p.catch(() => loaded.delete(client));
  }
  return p;
}

const loaded = new WeakMap<GitHubClient, Promise<ConfigState>>();

async function readConfig(client: GitHubClient): Promise<ConfigState> {
  const def = await client.defaultBranchWith(DEFAULT_CONFIG_FILE);
  const reader = new GitHubRepoReader(client, def.sha);
  reader.seed(DEFAULT_CONFIG_FILE, def.file?.content);
  let text = await reader.readFile(DEFAULT_CONFIG_FILE);
  let file = DEFAULT_CONFIG_FILE;
  if (text === undefined) {
    text = await readOrgDefault(client);
    file = `${client.repo.owner}/.github:${DEFAULT_CONFIG_FILE}`;
  }
  if (text === undefined) return { kind: "absent" };
  try {
    const config = await parseWithExtends(text, file, client);
    return { kind: "ok", sha: def.sha, branch: def.name, config, reader };
  } catch (err) {
    if (err instanceof ConfigError) return { kind: "invalid", sha: def.sha, error: err };
    throw err;
  }
}

async function readOrgDefault(client: GitHubClient): Promise<string | undefined> {
  if (client.repo.repo === ".github") return undefined;
  try {
    const org = client.forRepo(client.repo.owner, ".github");
    return decode((await org.defaultBranchWith(DEFAULT_CONFIG_FILE)).file?.content);
  } catch (err) {
    if ((err as { status?: number }).status === 404) return undefined;
    throw err;
  }
}

function decode(bytes: Uint8Array | undefined): string | undefined {
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}

/** `_extends: repo`, `owner/repo` or `owner/repo:path`, as Probot's config convention. */
async function parseWithExtends(text: string, file: string, client: GitHubClient): Promise<StagegateConfig> {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch {
    return parseConfig(text, file); // reports the YAML error, located
  }
  const ext =
    raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>)._extends : undefined;
  if (typeof ext !== "string") return parseConfig(text, file);
  const m = /^(?:([\w.-]+)\/)?([\w.-]+)(?::(.+))?$/.exec(ext);
  if (!m)
    throw new ConfigError(`${file}: invalid _extends "${ext}"`, [
      {
        file,
        line: 1,
        column: 1,
        message: `_extends: invalid value "${ext}" (use repo, owner/repo or owner/repo:path)`,
      },
    ]);
  const base = client.forRepo(m[1] ?? client.repo.owner, m[2]);
  const path = m[3] ?? DEFAULT_CONFIG_FILE;
  const def = await base.defaultBranch();
  const baseText = decode((await base.readFiles(def.sha, [path])).get(path));
  if (baseText === undefined) {
    throw new ConfigError(`${file}: _extends ${ext} not found`, [
      { file, line: 1, column: 1, message: `_extends: ${ext} has no ${path}` },
    ]);
  }
  const { _extends, ...own } = raw as Record<string, unknown>;
  void _extends;
  const merged = deepMerge(parseYaml(baseText) as Record<string, unknown>, own);
  // Locations after a merge refer to the merged document; the file name says so.
  return parseConfig(stringifyYaml(merged), `${file} (merged with ${ext})`);
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      prev && typeof prev === "object" && !Array.isArray(prev) && v && typeof v === "object" && !Array.isArray(v)
        ? deepMerge(prev as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}
