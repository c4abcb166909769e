/**
 * What changes in an environment between two renders: objects matched by group, kind, namespace and name,
 * each added, removed or changed (its YAML differs), with a bounded unified diff of the YAML.
 */
import { stringify } from "yaml";
import type { RenderedObject } from "./objects.js";
import { unifiedDiff } from "./unified.js";

export type ChangeKind = "added" | "removed" | "changed";

export interface ObjectChange {
  kind: ChangeKind;
  /** `group/Kind namespace/name` (core group: `Kind namespace/name`). */
  id: string;
  /** The object after the change (undefined when removed). */
  head?: RenderedObject;
  /** Unified diff of the object's YAML, base → head. */
  diff: string[];
}

export function objectId(value: Record<string, unknown>): string {
  const apiVersion = typeof value.apiVersion === "string" ? value.apiVersion : "";
  const group = apiVersion.includes("/") ? `${apiVersion.split("/")[0]}/` : "";
  const meta = (value.metadata ?? {}) as Record<string, unknown>;
  const ns = typeof meta.namespace === "string" ? `${meta.namespace}/` : "";
  return `${group}${String(value.kind)} ${ns}${String(meta.name)}`;
}

/** Changes from `base` to `head`, in the head's order (removed objects last). */
export function diffObjects(base: RenderedObject[], head: RenderedObject[]): ObjectChange[] {
  const before = new Map(base.map((o) => [objectId(o.value), o]));
  const out: ObjectChange[] = [];
  const seen = new Set<string>();
  for (const o of head) {
    const id = objectId(o.value);
    seen.add(id);
    const was = before.get(id);
    const after = stringify(o.value);
    if (!was) {
      out.push({ kind: "added", id, head: o, diff: unifiedDiff("", after) });
      continue;
    }
    const prior = stringify(was.value);
    if (prior !== after) out.push({ kind: "changed", id, head: o, diff: unifiedDiff(prior, after) });
  }
  for (const [id, o] of before) {
    if (!seen.has(id)) out.push({ kind: "removed", id, diff: unifiedDiff(stringify(o.value), "") });
  }
  return out;
}
