/**
 * Options of the `yaml` package that read manifests the way Kubernetes does.
 * Kubernetes decodes YAML with sigs.k8s.io/yaml, i.e. go-yaml v2 with YAML 1.1
 * scalar resolution, then converts to JSON. See docs/yaml.md for examples.
 */
import type { DocumentOptions, ParseOptions, SchemaOptions } from "yaml";

/**
 * Tags of the yaml-1.1 schema that go-yaml v2 → JSON does not turn into the
 * values the `yaml` package would: timestamps stay strings, `1:20`
 * (sexagesimal) stays a string, and !!binary/!!omap/!!pairs/!!set are not
 * converted. Left out, such scalars and collections read as plain strings,
 * maps and lists.
 */
const DROPPED_TAG = /:(timestamp|binary|omap|pairs|set)$/;
const DROPPED_NAME = new Set(["timestamp", "binary", "omap", "pairs", "set", "intTime", "floatTime"]);

export const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: "1.1",
  merge: true,
  // Duplicates are found by our own walk, which knows where the first one was.
  uniqueKeys: false,
  prettyErrors: false,
  keepSourceTokens: false,
  // Unresolved custom tags (e.g. `!env_var`) read as their plain value, as in go-yaml.
  logLevel: "error",
  customTags: (tags) =>
    tags.filter((t) =>
      typeof t === "string" ? !DROPPED_NAME.has(t) : !DROPPED_TAG.test(t.tag) && t.format !== "TIME",
    ),
};
