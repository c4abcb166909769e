#!/usr/bin/env node
// Puts the pinned OPA binary at .tools/bin/opa (runs on `npm ci` as postinstall).
//
// Order: an existing .tools/bin/opa of the pinned version; OPA_PATH; an `opa`
// on PATH of that version; a copy cached by an earlier install in the user
// cache; the official release binary (checked against its published SHA-256);
// `go install` from the Go module proxy (for machines that reach the proxy but
// not GitHub). Whatever was found is cached in ~/.cache/stagegate so that the
// next fresh clone does not build it again.
//
// STAGEGATE_SKIP_OPA_INSTALL=1 skips all of it (e.g. an image that brings its own).
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const OPA_VERSION = "1.22.3";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, ".tools", "bin", process.platform === "win32" ? "opa.exe" : "opa");
const userCache = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "stagegate", `opa-v${OPA_VERSION}`);

function log(msg) {
  process.stderr.write(`[stagegate] ${msg}\n`);
}

/** The version a binary reports, or undefined when it does not run. */
function versionOf(bin) {
  try {
    const out = execFileSync(bin, ["version"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 20000,
    });
    return /^Version:\s*v?(\S+)/m.exec(out)?.[1];
  } catch {
    return undefined;
  }
}

function install(from, how) {
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  copyFileSync(from, tmp);
  chmodSync(tmp, 0o755);
  renameSync(tmp, target);
  cacheForLater(target);
  log(`opa v${OPA_VERSION} ready at ${target} (${how})`);
}

function cacheForLater(bin) {
  try {
    if (resolve(bin) === resolve(userCache)) return;
    mkdirSync(dirname(userCache), { recursive: true });
    const tmp = `${userCache}.tmp-${process.pid}`;
    copyFileSync(bin, tmp);
    chmodSync(tmp, 0o755);
    renameSync(tmp, userCache);
  } catch {
    // A read-only home is fine: the cache only saves time.
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH || "").split(process.platform === "win32" ? ";" : ":")) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function releaseAsset() {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch];
  if (!arch) return undefined;
  if (process.platform === "linux") return `opa_linux_${arch}_static`;
  if (process.platform === "darwin") return `opa_darwin_${arch}`;
  if (process.platform === "win32" && arch === "amd64") return "opa_windows_amd64.exe";
  return undefined;
}

async function download(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(60000), redirect: "follow" });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

async function fromRelease() {
  const asset = releaseAsset();
  if (!asset) return false;
  const base = `https://github.com/open-policy-agent/opa/releases/download/v${OPA_VERSION}/${asset}`;
  try {
    // Probe quickly: on machines without GitHub access this fails in seconds.
    await fetch(base, { method: "HEAD", signal: AbortSignal.timeout(8000), redirect: "follow" });
  } catch {
    return false;
  }
  try {
    const [binary, sum] = await Promise.all([download(base), download(`${base}.sha256`)]);
    const expected = sum.toString("utf8").trim().split(/\s+/)[0];
    const actual = createHash("sha256").update(binary).digest("hex");
    if (expected !== actual) throw new Error(`checksum mismatch for ${asset}: expected ${expected}, got ${actual}`);
    const dir = mkdtempSync(join(tmpdir(), "stagegate-opa-"));
    const file = join(dir, "opa");
    writeFileSync(file, binary, { mode: 0o755 });
    install(file, "official release");
    rmSync(dir, { recursive: true, force: true });
    return true;
  } catch (err) {
    log(`release download failed: ${err.message}`);
    return false;
  }
}

function fromGoInstall() {
  const go = onPath(process.platform === "win32" ? "go.exe" : "go");
  if (!go) return false;
  const gobin = mkdtempSync(join(tmpdir(), "stagegate-gobin-"));
  log(`building opa v${OPA_VERSION} with go install (a few minutes, once per machine)…`);
  const r = spawnSync(go, ["install", `github.com/open-policy-agent/opa@v${OPA_VERSION}`], {
    env: { ...process.env, GOBIN: gobin, CGO_ENABLED: "0" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const built = join(gobin, process.platform === "win32" ? "opa.exe" : "opa");
  if (r.status !== 0 || versionOf(built) !== OPA_VERSION) {
    rmSync(gobin, { recursive: true, force: true });
    return false;
  }
  install(built, "go install");
  rmSync(gobin, { recursive: true, force: true });
  return true;
}

async function main() {
  if (process.env.STAGEGATE_SKIP_OPA_INSTALL === "1") return;
  if (versionOf(target) === OPA_VERSION) return;
  const candidates = [
    [process.env.OPA_PATH, "OPA_PATH"],
    [onPath(process.platform === "win32" ? "opa.exe" : "opa"), "opa on PATH"],
    [userCache, "cached copy"],
  ];
  for (const [bin, how] of candidates) {
    if (bin && versionOf(bin) === OPA_VERSION) return install(bin, how);
  }
  if (await fromRelease()) return;
  if (fromGoInstall()) return;
  log(
    `could not install opa v${OPA_VERSION}: no matching OPA_PATH or opa on PATH, no access to GitHub ` +
      `releases, and no Go toolchain.\n` +
      `Install opa v${OPA_VERSION} and set OPA_PATH, then run \`npm run install-opa\`.`,
  );
  process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
