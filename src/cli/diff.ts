/**
 * `stagegate diff --base REF [--env NAME] dirs...`: renders each kustomize directory at REF and in the
 * working tree, prints which objects are added, changed or removed with a bounded unified diff of their
 * YAML (what the environment will run after the change), then the findings on added and changed objects.
 */
import { namespacesFor } from "../config/environments.js";
import { Engine } from "../gate/engine.js";
import { readPolicyInputs } from "../gate/sources.js";
import { isBlocking, type Verdict } from "../gate/verdict.js";
import type { ParsedFile } from "../manifests/parse.js";
import { ToolchainError } from "../policy/toolchain.js";
import { diffObjects, type ObjectChange } from "../render/object-diff.js";
import { renderEntry, type RenderedEntry } from "../render/render.js";
import { RenderToolError } from "../render/toolchain.js";
import { formatVerdicts } from "../report/format.js";
import { UsageError, type CliArgs } from "./args.js";
import { entryPoint, environmentsOf, ruleSources } from "./check-render.js";
import { gitRevisionReader } from "./git-reader.js";
import { diskRenderReader } from "./disk-reader.js";
import { loadProject } from "./project.js";
import { VERSION } from "./version.js";

/** Diff lines printed per entry point; the rest is counted, not shown. */
const MAX_DIFF_LINES = 400;
const SIGN: Record<ObjectChange["kind"], string> = { added: "+", changed: "~", removed: "-" };

export async function diffCommand(args: CliArgs, cwd: string, out: (s: string) => void): Promise<number> {
  if (!args.base) throw new UsageError("diff needs --base REF: the git revision to compare the working tree with");
  if (args.output !== "text") throw new UsageError("diff prints text only (-o text)");
  if (args.paths.length === 0) throw new UsageError("diff needs the kustomize directories to render");
  const project = loadProject(args, cwd);
  const entries = args.paths.map((p) => entryPoint(project, p, cwd));
  const base = gitRevisionReader(project.root, args.base);
  const inputs = await readPolicyInputs(project.config, project.reader);
  const lines: string[] = [];
  const judged: Array<{ env: string; files: ParsedFile[]; head: RenderedEntry }> = [];
  try {
    for (const entry of entries) {
      const [before, after] = [
        await renderEntry(base, entry),
        await renderEntry(diskRenderReader(project.root), entry),
      ];
      // A working tree that does not render says nothing about what it removes: no diff rather than "all removed".
      const failed = after.problems.length > 0 && after.objects.length === 0;
      const changes = failed ? [] : diffObjects(before.objects, after.objects);
      const envs = environmentsOf(project, args.env, entry);
      lines.push(...describe(entry, envs, `${args.base} (${base.commit.slice(0, 12)})`, [before, after], changes));
      const touched = new Set(changes.filter((c) => c.head).map((c) => after.objects.indexOf(c.head!)));
      const files = after.files.map((f) => ({ ...f, documents: f.documents.filter((d) => touched.has(d.index)) }));
      for (const env of envs) judged.push({ env, files, head: after });
    }
  } catch (e) {
    if (e instanceof RenderToolError) throw new ToolchainError(e.message);
    throw e;
  }
  out(lines.join("\n"));
  const library = judged.flatMap((j) => namespacesFor(project.config, project.config.environments[j.env]).library);
  if (inputs.policies.length === 0 && library.length === 0) {
    out(`\nNo policies under ${project.config.policies.paths.join(", ")}: the changed objects were not judged.`);
    return 0;
  }
  const engine = await Engine.create(project.config, inputs, args.cache ? {} : { cacheDir: false });
  const verdicts: Verdict[] = [];
  for (const env of new Set(judged.map((j) => j.env))) {
    const mine = judged.filter((j) => j.env === env);
    const verdict = engine.checkParsed(
      env,
      mine.flatMap((j) => j.files),
    );
    for (const j of mine) j.head.annotate([...verdict.findings, ...verdict.exemptions]);
    verdicts.push(verdict);
  }
  out(`\nFindings on added and changed objects:\n`);
  out(formatVerdicts("text", verdicts, { toolVersion: VERSION, ruleSources: ruleSources(engine, verdicts) }));
  return verdicts.some(isBlocking) ? 1 : 0;
}

function describe(
  entry: string,
  envs: string[],
  baseLabel: string,
  [before, after]: [RenderedEntry, RenderedEntry],
  changes: ObjectChange[],
): string[] {
  const count = (k: ObjectChange["kind"]) => changes.filter((c) => c.kind === k).length;
  const lines = [
    `${envs.join(", ")} — ${entry}: ${count("added")} added, ${count("changed")} changed, ${count("removed")} removed` +
      ` (${baseLabel} → working tree)`,
  ];
  for (const p of before.problems) lines.push(`  base not rendered (${p.ruleId}): ${p.message}`);
  for (const p of after.problems) lines.push(`  working tree not rendered (${p.ruleId}): ${p.message}`);
  for (const c of changes) lines.push(`  ${SIGN[c.kind]} ${c.id}`);
  let budget = MAX_DIFF_LINES;
  let hidden = 0;
  for (const c of changes) {
    const block = [
      `--- ${c.kind === "added" ? "/dev/null" : `base/${c.id}`}`,
      `+++ ${c.head ? `head/${c.id}` : "/dev/null"}`,
    ];
    block.push(...c.diff);
    if (block.length <= budget) {
      lines.push(...block);
      budget -= block.length;
    } else hidden += block.length;
  }
  if (hidden > 0)
    lines.push(`… diff truncated: ${hidden} more lines not shown (limit ${MAX_DIFF_LINES} per entry point)`);
  return lines;
}
