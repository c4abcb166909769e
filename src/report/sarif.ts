import { createHash } from "node:crypto";
import type * as Sarif from "sarif";
import type { Verdict } from "../gate/verdict.js";
import type { ExemptedFinding, Finding } from "../types.js";
import type { ReportContext } from "./context.js";
import { normalizePath, regionOf } from "./location.js";
import { jsonSafe, truncateChars, wellFormed } from "./sanitize.js";

/**
 * SARIF 2.1.0 for GitHub code scanning (and any other SARIF consumer).
 *
 * One run per environment, each with `automationDetails.id` =
 * `stagegate/<env>/`: code scanning treats the id as the run's category, so
 * environments neither collide nor close each other's alerts (it rejects
 * several runs of one tool in one category). Exempted findings are results
 * with an external suppression. `partialFingerprints["stagegate/v1"]` hashes
 * rule id, file, message and the occurrence number of that triple, so alerts
 * keep their identity when lines move.
 */
export const SARIF_SCHEMA_URI =
  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
export const STAGEGATE_INFORMATION_URI = "https://github.com/stagegate/stagegate";
export const FINGERPRINT_KEY = "stagegate/v1";

export function toSarif(verdicts: Verdict[], ctx: ReportContext): Sarif.Log {
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: verdicts.map((v) => toRun(v, ctx)),
  };
}

export function formatSarif(verdicts: Verdict[], ctx: ReportContext): string {
  return JSON.stringify(toSarif(verdicts, ctx), null, 2) + "\n";
}

function toRun(v: Verdict, ctx: ReportContext): Sarif.Run {
  const all: Array<Finding | ExemptedFinding> = [...v.findings, ...v.exemptions];
  const ruleIds = [...new Set(all.map((f) => f.ruleId))];
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const occurrences = new Map<string, number>();
  const results = all.map((f) => {
    const basis = [f.ruleId, normalizePath(f.location.file), f.message].join("\u0000");
    const n = occurrences.get(basis) ?? 0;
    occurrences.set(basis, n + 1);
    return toResult(f, ruleIndex.get(f.ruleId)!, fingerprint(`${basis}\u0000${n}`), v.environment);
  });
  const driver: Sarif.ToolComponent = {
    name: "stagegate",
    informationUri: STAGEGATE_INFORMATION_URI,
    rules: ruleIds.map((id) =>
      toRule(
        id,
        ctx,
        all.find((f) => f.ruleId === id)!,
      ),
    ),
  };
  if (ctx.toolVersion) driver.version = ctx.toolVersion;
  const properties: Sarif.PropertyBag = {
    environment: wellFormed(v.environment),
    mode: v.mode,
    filesChecked: v.filesChecked,
    documentsChecked: v.documentsChecked,
  };
  if (ctx.policyRevision) properties.policyRevision = ctx.policyRevision;
  return {
    tool: { driver },
    automationDetails: { id: `stagegate/${wellFormed(v.environment)}/` },
    columnKind: "utf16CodeUnits", // positions come from JavaScript string offsets,
    results,
    properties,
  };
}

/**
 * A rule's descriptor. Rego rules carry no description of their own, so the
 * short description names the rule's family and check (`pod-security/privileged`
 * → "pod security: privileged") and the full one is its first message here.
 */
function toRule(id: string, ctx: ReportContext, example: Finding): Sarif.ReportingDescriptor {
  const readable = wellFormed(id).replace(/[/.]/, ": ").replace(/[-_]/g, " ");
  const rule: Sarif.ReportingDescriptor = {
    id: wellFormed(id),
    name: wellFormed(id).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : "")),
    shortDescription: { text: `Stagegate ${readable}` },
    fullDescription: { text: truncateChars(wellFormed(example.message) || readable, 1000) },
  };
  const src = ctx.ruleSources?.[id];
  if (src) {
    const where = `${normalizePath(src.file)}:${src.line}`;
    rule.help = { text: `Rule ${wellFormed(id)} is defined in ${wellFormed(where)}.` };
    const helpUri = ctx.sourceBaseUri ? sourceUri(ctx.sourceBaseUri, src.file, src.line) : undefined;
    if (helpUri) rule.helpUri = helpUri;
    rule.properties = { source: { file: wellFormed(normalizePath(src.file)), line: src.line } };
  }
  return rule;
}

/** Absolute link to a rule's definition, or undefined when the base is not an absolute URI. */
function sourceUri(base: string, file: string, line: number): string | undefined {
  try {
    const url = new URL(encodePath(normalizePath(file).replace(/^\/+/, "")), base.endsWith("/") ? base : `${base}/`);
    if (Number.isInteger(line) && line >= 1) url.hash = `L${line}`;
    return url.href;
  } catch {
    return undefined;
  }
}

function toResult(f: Finding | ExemptedFinding, index: number, print: string, environment: string): Sarif.Result {
  const result: Sarif.Result = {
    ruleId: wellFormed(f.ruleId),
    ruleIndex: index,
    level: f.severity === "failure" ? "error" : "warning",
    message: { text: wellFormed(f.message) || "(no message)" },
    locations: [toLocation(f)],
    partialFingerprints: { [FINGERPRINT_KEY]: print },
  };
  if ("exemptedBy" in f) {
    result.suppressions = [{ kind: "external", justification: `Exempted by ${wellFormed(String(f.exemptedBy))}` }];
  }
  const properties: Sarif.PropertyBag = { environment: wellFormed(environment), source: f.source };
  if (f.namespace !== undefined) properties.namespace = wellFormed(f.namespace);
  if (f.rule !== undefined) properties.rule = wellFormed(f.rule);
  if (Number.isInteger(f.documentIndex)) properties.documentIndex = f.documentIndex;
  if (f.metadata !== undefined) properties.metadata = jsonSafe(f.metadata);
  result.properties = properties;
  return result;
}

function toLocation(f: Finding): Sarif.Location {
  const physicalLocation: Sarif.PhysicalLocation = { artifactLocation: artifact(f.location.file) };
  const region = regionOf(f.location);
  if (region) physicalLocation.region = { ...region };
  return { physicalLocation };
}

/** Relative paths resolve against %SRCROOT%; absolute ones become file: URIs. */
function artifact(file: string): Sarif.ArtifactLocation {
  const path = normalizePath(wellFormed(file));
  if (/^[A-Za-z]:\//.test(path)) return { uri: `file:///${encodePath(path)}` };
  if (path.startsWith("/")) return { uri: `file://${encodePath(path)}` };
  return { uri: encodePath(path), uriBaseId: "%SRCROOT%" };
}

/** Percent-encodes each path segment, keeping `/` as the separator (and `:` of a drive letter). */
export function encodePath(path: string): string {
  return path
    .split("/")
    .map((seg, i) => (i === 0 && /^[A-Za-z]:$/.test(seg) ? seg : encodeURIComponent(seg)))
    .join("/");
}

function fingerprint(basis: string): string {
  return createHash("sha256").update(basis, "utf8").digest("hex");
}
