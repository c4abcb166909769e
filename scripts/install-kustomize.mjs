#!/usr/bin/env node
// Puts the pinned kustomize binary at .tools/bin/kustomize (runs on `npm ci` as postinstall, after opa).
//
// Order: an existing .tools/bin/kustomize of the pinned version; KUSTOMIZE_PATH; a `kustomize` on PATH
// of that version; a copy cached by an earlier install in the user cache; the official release archive
// (checked against the release's published SHA-256 list); `go install` from the Go module proxy (for
// machines that reach the proxy but not GitHub). Whatever was found is cached in ~/.cache/stagegate so
// that the next fresh clone does not build it again.
//
// Rendering (`stagegate check --render`) is optional: when nothing works this warns and exits 0, so an
// install for plain checks never fails over it. STAGEGATE_SKIP_KUSTOMIZE_INSTALL=1 skips all of it.
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
import { gunzipSync } from "node:zlib";

// Keep in step with src/render/toolchain.ts. v5.8.x needs Go 1.27 for `go install`.
export const KUSTOMIZE_VERSION = "5.7.1";

const exe = process.platform === "win32" ? "kustomize.exe" : "kustomize";
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, ".tools", "bin", exe);
const userCache = join(
  process.env.XDG_CACHE_HOME || join(homedir(), ".cache"),
  "stagegate",
  `kustomize-v${KUSTOMIZE_VERSION}`,
);

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
    return /v?(\d+\.\d+\.\d+)/.exec(out)?.[1];
  } catch {
    return undefined;
  }
}

function copyExecutable(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  const tmp = `${to}.tmp-${process.pid}`;
  copyFileSync(from, tmp);
  chmodSync(tmp, 0o755);
  renameSync(tmp, to);
}

function install(from, how) {
  copyExecutable(from, target);
  if (resolve(from) !== resolve(userCache)) {
    try {
      copyExecutable(target, userCache);
    } catch {
      // A read-only home is fine: the cache only saves time.
    }
  }
  log(`kustomize v${KUSTOMIZE_VERSION} ready at ${target} (${how})`);
}

function onPath(name) {
  for (const dir of (process.env.PATH || "").split(process.platform === "win32" ? ";" : ":")) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

async function download(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(60000), redirect: "follow" });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/** The file called `name` in a tar archive (ustar headers of 512 bytes, sizes in octal). */
function fromTar(tar, name) {
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    const entry = header.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
    if (!entry) break;
    const size = parseInt(header.subarray(124, 136).toString("utf8").replace(/\0.*$/s, "").trim() || "0", 8);
    if (entry.replace(/^\.\//, "") === name) return tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

async function fromRelease() {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch];
  const os = { linux: "linux", darwin: "darwin", win32: "windows" }[process.platform];
  if (!arch || !os) return false;
  const asset = `kustomize_v${KUSTOMIZE_VERSION}_${os}_${arch}.tar.gz`;
  const base = `https://github.com/kubernetes-sigs/kustomize/releases/download/kustomize%2Fv${KUSTOMIZE_VERSION}`;
  try {
    // Probe quickly: on machines without GitHub access this fails in seconds.
    await fetch(`${base}/${asset}`, { method: "HEAD", signal: AbortSignal.timeout(8000), redirect: "follow" });
  } catch {
    return false;
  }
  try {
    const [archive, sums] = await Promise.all([download(`${base}/${asset}`), download(`${base}/checksums.txt`)]);
    const line = sums
      .toString("utf8")
      .split("\n")
      .find((l) => l.trim().endsWith(` ${asset}`));
    const expected = line?.trim().split(/\s+/)[0];
    const actual = createHash("sha256").update(archive).digest("hex");
    if (expected !== actual) throw new Error(`checksum mismatch for ${asset}: expected ${expected}, got ${actual}`);
    const binary = fromTar(gunzipSync(archive), exe);
    if (!binary) throw new Error(`${asset} holds no ${exe}`);
    const dir = mkdtempSync(join(tmpdir(), "stagegate-kustomize-"));
    const file = join(dir, exe);
    writeFileSync(file, binary, { mode: 0o755 });
    const ok = versionOf(file) === KUSTOMIZE_VERSION;
    if (ok) install(file, "official release");
    rmSync(dir, { recursive: true, force: true });
    return ok;
  } catch (err) {
    log(`kustomize release download failed: ${err.message}`);
    return false;
  }
}

function fromGoInstall() {
  const go = onPath(process.platform === "win32" ? "go.exe" : "go");
  if (!go) return false;
  const gobin = mkdtempSync(join(tmpdir(), "stagegate-gobin-"));
  log(`building kustomize v${KUSTOMIZE_VERSION} with go install (about a minute, once per machine)…`);
  const r = spawnSync(go, ["install", `sigs.k8s.io/kustomize/kustomize/v5@v${KUSTOMIZE_VERSION}`], {
    env: { ...process.env, GOBIN: gobin, CGO_ENABLED: "0" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const built = join(gobin, exe);
  const ok = r.status === 0 && versionOf(built) === KUSTOMIZE_VERSION;
  if (ok) install(built, "go install");
  rmSync(gobin, { recursive: true, force: true });
  return ok;
}

async function main() {
  if (process.env.STAGEGATE_SKIP_KUSTOMIZE_INSTALL === "1") return;
  if (versionOf(target) === KUSTOMIZE_VERSION) return;
  const candidates = [
    [process.env.KUSTOMIZE_PATH, "KUSTOMIZE_PATH"],
    [onPath(exe), "kustomize on PATH"],
    [userCache, "cached copy"],
  ];
  for (const [bin, how] of candidates) {
    if (bin && versionOf(bin) === KUSTOMIZE_VERSION) return install(bin, how);
  }
  if (await fromRelease()) return;
  if (fromGoInstall()) return;
  log(
    `could not install kustomize v${KUSTOMIZE_VERSION} (needed only for \`stagegate check --render\`): ` +
      `no matching KUSTOMIZE_PATH or kustomize on PATH, no access to GitHub releases, and no Go toolchain. ` +
      `Install it, set KUSTOMIZE_PATH, then run \`npm run install-kustomize\`.`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
