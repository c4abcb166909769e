#!/usr/bin/env node
// The report step of the GitHub Action (action.yml). From the SARIF `stagegate check` wrote and its exit
// status it writes the job summary ($GITHUB_STEP_SUMMARY), the step's outputs ($GITHUB_OUTPUT) and, when
// asked, one workflow annotation per finding; and it decides whether the job fails (the fail-on input).
// Everything it prints comes from a pull request's files, so it is escaped with the product's own helpers.
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { escapeData, escapeProperty } from "../dist/report/github.js";
import { codeBlock, escapeMarkdownInline } from "../dist/report/markdown.js";

/** Findings listed in the summary; the rest are in code scanning and the SARIF file (a summary holds 1 MiB). */
const MAX_ROWS = 200;
const MAX_MESSAGE = 500;
const FAIL_ON = ["failure", "warning", "never"];
const SWITCH = ["true", "false", "auto"];
/**
 * The CLI's answers when none of the files it is given is a manifest of an environment: without --env, a config
 * with several environments finds none to choose; with one (or --env), nothing is left to check.
 */
const NOTHING_TO_CHECK = /none of the given files is a manifest|has several environments .*choose one with --env/;

const env = process.env;
const failOn = env.FAIL_ON || "failure";
const annotationsInput = env.ANNOTATIONS || "auto";
if (!FAIL_ON.includes(failOn) || !SWITCH.includes(annotationsInput)) {
  const bad = FAIL_ON.includes(failOn) ? `annotations: ${annotationsInput}` : `fail-on: ${failOn}`;
  console.log(`::error title=Stagegate::${escapeData(`${bad} is not one of its values (docs/action.md)`)}`);
  process.exit(1);
}
// Code scanning annotates the pull request from the uploaded SARIF; without it, the workflow does.
const annotate = annotationsInput === "auto" ? env.UPLOAD_SARIF !== "true" : annotationsInput === "true";

const ran = Boolean(env.EXIT_CODE);
const exitCode = ran ? Number(env.EXIT_CODE) : undefined;
const stderr = ran && env.STDERR_FILE && existsSync(env.STDERR_FILE) ? readFileSync(env.STDERR_FILE, "utf8") : "";
const sarif = ran ? readSarif(env.SARIF) : undefined;
const scope =
  env.MODE === "changed"
    ? `${plural(Number(env.COUNT), "file")} changed since ${md(short(env.BASE))}`
    : `${plural(Number(env.COUNT), "path")} given`;

const out = { result: "passed", findings: 0, failures: 0, warnings: 0, exempted: 0, "sarif-file": "" };
const summary = ["## Stagegate", ""];
let fail = false;
let reason = "";

if (!ran) {
  out.result = "skipped";
  summary.push(`Nothing to check: no file changed under the checked paths since ${md(short(env.BASE))}.`);
} else if (exitCode === 2 && env.MODE === "changed" && NOTHING_TO_CHECK.test(stderr)) {
  // The pull request changes files, but none that an environment's globs select: there is nothing to judge.
  out.result = "skipped";
  summary.push(`Nothing to check: none of the ${scope} is a manifest of a configured environment.`);
} else if ((exitCode !== 0 && exitCode !== 1) || !sarif) {
  out.result = "error";
  fail = true;
  const first = stderr.split("\n").find((l) => l.trim()) ?? "no output";
  reason = `stagegate check failed (exit ${exitCode}): ${first.replace(/^error: /, "")}`;
  summary.push(`**Error**: stagegate check could not judge the ${scope} (exit ${exitCode}).`, "");
  summary.push(codeBlock(stderr.trim() || "(no output)"));
} else {
  out["sarif-file"] = env.SARIF;
  const rows = [];
  const environments = [];
  for (const run of sarif.runs ?? []) {
    const counts = { failures: 0, warnings: 0, exempted: 0 };
    for (const r of run.results ?? []) {
      const loc = locationOf(r);
      const message = String(r.message?.text ?? "");
      if (r.suppressions?.length) counts.exempted++;
      else if (r.level === "warning") counts.warnings++;
      else counts.failures++;
      if (rows.length < MAX_ROWS + 1) rows.push({ r, loc, message, environment: run.properties?.environment });
      if (annotate && !r.suppressions?.length) console.log(annotation(r, loc, message));
    }
    environments.push({ props: run.properties ?? {}, counts });
    out.failures += counts.failures;
    out.warnings += counts.warnings;
    out.exempted += counts.exempted;
  }
  out.findings = out.failures + out.warnings;
  const blocked = exitCode === 1;
  fail = failOn === "failure" ? blocked : failOn === "warning" ? blocked || out.findings > 0 : false;
  out.result = fail ? "blocked" : out.findings > 0 ? "reported" : "passed";
  const tally = `${plural(out.failures, "failure")}, ${plural(out.warnings, "warning")}`;
  if (fail)
    reason = blocked ? `${tally}; a failure in an enforce-mode environment blocks` : `${tally} (fail-on: warning)`;
  const verdict = { passed: "Passed", reported: "Findings reported (not failing the job)", blocked: "Blocked" };
  summary.push(`**${verdict[out.result]}**: ${tally}, ${out.exempted} exempted (${scope}).`, "");
  summary.push("| Environment | Mode | Files | Documents | Failures | Warnings | Exempted |");
  summary.push("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
  for (const { props, counts } of environments) {
    const cells = [md(props.environment ?? ""), md(props.mode ?? ""), props.filesChecked, props.documentsChecked];
    summary.push(`| ${[...cells, counts.failures, counts.warnings, counts.exempted].join(" | ")} |`);
  }
  if (rows.length) {
    summary.push("", "| | Environment | Rule | Location | Message |", "| --- | --- | --- | --- | --- |");
    for (const { r, loc, message, environment } of rows.slice(0, MAX_ROWS)) {
      const kind = r.suppressions?.length ? "exempted" : r.level === "warning" ? "warning" : "failure";
      const where = loc.file ? `${loc.file}${loc.line ? `:${loc.line}` : ""}` : "";
      const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
      summary.push(`| ${kind} | ${md(environment ?? "")} | ${md(r.ruleId ?? "")} | ${md(where)} | ${md(text)} |`);
    }
    if (rows.length > MAX_ROWS) summary.push("", "More findings are in code scanning and in the SARIF file.");
  }
  if (stderr.trim())
    summary.push("", "<details><summary>Messages</summary>", "", codeBlock(stderr.trim()), "</details>");
}

if (fail) console.log(`::error title=Stagegate::${escapeData(reason)}`);
if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, summary.join("\n") + "\n");
const outputs = { ...out, fail: String(fail), reason: reason.replace(/[\r\n]+/g, " ") };
const lines = Object.entries(outputs).map(([k, v]) => `${k}=${v}`);
if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, lines.join("\n") + "\n");
console.log(`Stagegate: ${out.result}`);

/** The SARIF log, or undefined when the file is missing, empty or not a SARIF log. */
function readSarif(path) {
  if (!path || !existsSync(path)) return undefined;
  try {
    const log = JSON.parse(readFileSync(path, "utf8"));
    return log && Array.isArray(log.runs) ? log : undefined;
  } catch {
    return undefined;
  }
}

/** A result's file (repository-relative, decoded from its URI) and region. */
function locationOf(r) {
  const physical = r.locations?.[0]?.physicalLocation;
  const uri = physical?.artifactLocation?.uri;
  let file = "";
  if (typeof uri === "string") {
    try {
      file = uri.split("/").map(decodeURIComponent).join("/");
    } catch {
      file = uri;
    }
  }
  const region = physical?.region ?? {};
  return {
    file,
    line: region.startLine,
    column: region.startColumn,
    endLine: region.endLine,
    endColumn: region.endColumn,
  };
}

function annotation(r, loc, message) {
  const props = [];
  if (loc.file) {
    props.push(`file=${escapeProperty(loc.file)}`);
    for (const [key, value] of [
      ["line", loc.line],
      ["col", loc.column],
      ["endLine", loc.endLine],
      ["endColumn", loc.endColumn],
    ]) {
      if (Number.isInteger(value)) props.push(`${key}=${value}`);
    }
  }
  props.push(`title=${escapeProperty(String(r.ruleId ?? "stagegate"))}`);
  const kind = r.level === "warning" ? "warning" : "error";
  return `::${kind} ${props.join(",")}::${escapeData(message || "(no message)")}`;
}

function md(value) {
  return escapeMarkdownInline(String(value));
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function short(sha) {
  return sha ? (/^[0-9a-f]{40}$/.test(sha) ? sha.slice(0, 7) : sha) : "the base";
}
