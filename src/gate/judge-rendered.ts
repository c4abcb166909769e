/**
 * Judging an environment by what it will run: each entry point rendered at the base and at the commit that
 * would land (facts gathered before judging), objects diffed, and the added and changed ones (or all) judged
 * with the environment's schemas and policies, findings on the source lines that produced them.
 */
import type { EnvironmentConfig } from "../config/types.js";
import { diffObjects } from "../render/object-diff.js";
import type { RenderedEntry } from "../render/render.js";
import type { ExemptedFinding, Finding } from "../types.js";
import type { Engine } from "./engine.js";
import type { RenderedChanges } from "./verdict.js";

/** One entry point, rendered on both sides. */
export interface EntryRender {
  label: string;
  /** The render at the base (undefined when there is no base to compare with: every object is added). */
  base?: RenderedEntry;
  head: RenderedEntry;
}

/** An environment's renders, and every file they read on either side (those target it and are judged here). */
export interface EnvironmentRender {
  entries: EntryRender[];
  reads: ReadonlySet<string>;
  judge: "changed" | "all";
}

export interface RenderedVerdictPart {
  findings: Finding[];
  exemptions: ExemptedFinding[];
  documentsChecked: number;
  /** Source files that produced the judged objects. */
  filesChecked: number;
  rendered: RenderedChanges[];
}

export function judgeRendered(
  engine: Engine,
  env: EnvironmentConfig,
  render: EnvironmentRender,
  now?: () => bigint,
): RenderedVerdictPart {
  const out: RenderedVerdictPart = { findings: [], exemptions: [], documentsChecked: 0, filesChecked: 0, rendered: [] };
  for (const { label, base, head } of render.entries) {
    const baseUsable = base !== undefined && base.problems.length === 0;
    // A change that does not render says nothing about what it removes: no diff rather than "everything removed".
    const headRendered = head.problems.length === 0 || head.objects.length > 0;
    const changes = headRendered ? diffObjects(baseUsable ? base.objects : [], head.objects) : [];
    const judged = new Set(
      render.judge === "all"
        ? head.objects.map((_, i) => i)
        : changes.filter((c) => c.head).map((c) => head.objects.indexOf(c.head!)),
    );
    const files = head.files.map((f) => ({
      file: f.file,
      documents: f.documents.filter((d) => judged.has(d.index)),
      // Copies: the render may be cached and shared, findings are this verdict's own.
      problems: f.problems.map((p) => ({ ...p, location: { ...p.location } })),
    }));
    const verdict = engine.checkParsed(env.name, files, { now });
    head.annotate([...verdict.findings, ...verdict.exemptions]);
    out.findings.push(...verdict.findings);
    out.exemptions.push(...verdict.exemptions);
    out.documentsChecked += verdict.documentsChecked;
    out.filesChecked += verdict.filesChecked;
    out.rendered.push({
      label,
      objects: changes.map((c) => ({ kind: c.kind, id: c.id, diff: c.diff })),
      judged: judged.size,
      baseProblems:
        base && !baseUsable ? base.problems.map((p) => `${p.location.file}:${p.location.line}: ${p.message}`) : [],
      headFailed: head.problems.length > 0,
    });
  }
  // Entry points that share a base report its findings once.
  return { ...out, findings: unique(out.findings), exemptions: unique(out.exemptions) };
}

function unique<T extends Finding>(findings: T[]): T[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const l = f.location;
    const key = JSON.stringify([f.ruleId, l.file, l.line, l.column, f.message]);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
