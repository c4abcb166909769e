// Shared by install-opa.mjs, install-kustomize.mjs and install-helm.mjs: puts one pinned tool binary at
// .tools/bin/<name> (they run on `npm ci` as postinstall).
//
// Order: an existing .tools/bin/<name> of the pinned version; <NAME>_PATH; the tool on PATH of that
// version; a copy cached by an earlier install in the user cache (~/.cache/stagegate/<name>-v<version>);
// the official release (checked against its published SHA-256); `go install` from the Go module proxy
// (for machines that reach the proxy but not the release host). Whatever was found is cached in the user
// cache so that the next fresh clone does not build it again. STAGEGATE_SKIP_<NAME>_INSTALL=1 skips it all.
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

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * @typedef {object} Release
 * @property {string} url the binary or archive
 * @property {string} sumsUrl the published SHA-256 (a `.sha256` file or a list of `<hash>  <asset>` lines)
 * @property {string} asset the file name the checksum list names
 * @property {(download: Buffer) => Buffer | undefined} extract the binary out of the download
 */

/**
 * @typedef {object} ToolSpec
 * @property {string} name e.g. "helm": the binary, the env var prefix and the npm script are named after it
 * @property {string} version the pinned version, without "v"
 * @property {string[]} versionArgs arguments that make the tool print its version
 * @property {(output: string) => string | undefined} parseVersion the version in that output
 * @property {() => Release | undefined} release the official release for this platform, if there is one
 * @property {string} goPackage what `go install` builds, with @version
 * @property {string[]} [goFlags] build flags for `go install` (e.g. -ldflags stamping the version)
 * @property {string} buildTime how long the build takes, for the message
 * @property {string} [neededFor] why the tool is needed, when it is optional
 * @property {boolean} [required] a failure sets a non-zero exit code (else it only warns)
 */

export const exeName = (name) => (process.platform === "win32" ? `${name}.exe` : name);

export function log(msg) {
  process.stderr.write(`[stagegate] ${msg}\n`);
}

/** Go's names for this machine, or undefined on a platform with no release. */
export function goPlatform() {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch];
  const os = { linux: "linux", darwin: "darwin", win32: "windows" }[process.platform];
  return arch && os ? { os, arch } : undefined;
}

/** The file whose name (or base name) is `name` in a .tar.gz archive (ustar headers, sizes in octal). */
export function fromTarGz(archive, name) {
  const tar = gunzipSync(archive);
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    const entry = header.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
    if (!entry) break;
    const size = parseInt(header.subarray(124, 136).toString("utf8").replace(/\0.*$/s, "").trim() || "0", 8);
    const path = entry.replace(/^\.\//, "");
    if (path === name || path.endsWith(`/${name}`)) return tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

function versionOf(spec, bin) {
  try {
    const out = execFileSync(bin, spec.versionArgs, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 20000,
    });
    return spec.parseVersion(out);
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

class Installer {
  constructor(spec) {
    this.spec = spec;
    this.exe = exeName(spec.name);
    this.target = join(root, ".tools", "bin", this.exe);
    const cacheRoot = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
    this.userCache = join(cacheRoot, "stagegate", `${spec.name}-v${spec.version}`);
  }

  matches(bin) {
    return versionOf(this.spec, bin) === this.spec.version;
  }

  install(from, how) {
    copyExecutable(from, this.target);
    if (resolve(from) !== resolve(this.userCache)) {
      try {
        copyExecutable(this.target, this.userCache);
      } catch {
        // A read-only home is fine: the cache only saves time.
      }
    }
    log(`${this.spec.name} v${this.spec.version} ready at ${this.target} (${how})`);
  }

  async fromRelease() {
    const release = this.spec.release();
    if (!release) return false;
    try {
      // Probe quickly: on machines without access to the release host this fails in seconds.
      await fetch(release.url, { method: "HEAD", signal: AbortSignal.timeout(8000), redirect: "follow" });
    } catch {
      return false;
    }
    try {
      const [payload, sums] = await Promise.all([download(release.url), download(release.sumsUrl)]);
      const lines = sums.toString("utf8").trim().split("\n");
      // A single-hash file, or a list naming each asset.
      const line = lines.length === 1 ? lines[0] : lines.find((l) => l.trim().endsWith(` ${release.asset}`));
      const expected = line?.trim().split(/\s+/)[0];
      const actual = createHash("sha256").update(payload).digest("hex");
      if (expected !== actual)
        throw new Error(`checksum mismatch for ${release.asset}: expected ${expected}, got ${actual}`);
      const binary = release.extract(payload);
      if (!binary) throw new Error(`${release.asset} holds no ${this.exe}`);
      const dir = mkdtempSync(join(tmpdir(), `stagegate-${this.spec.name}-`));
      const file = join(dir, this.exe);
      writeFileSync(file, binary, { mode: 0o755 });
      const ok = this.matches(file);
      if (ok) this.install(file, "official release");
      rmSync(dir, { recursive: true, force: true });
      return ok;
    } catch (err) {
      log(`${this.spec.name} release download failed: ${err.message}`);
      return false;
    }
  }

  fromGoInstall() {
    const go = onPath(exeName("go"));
    if (!go) return false;
    const gobin = mkdtempSync(join(tmpdir(), "stagegate-gobin-"));
    const { name, version, buildTime } = this.spec;
    log(`building ${name} v${version} with go install (${buildTime}, once per machine)…`);
    const r = spawnSync(go, ["install", ...(this.spec.goFlags ?? []), this.spec.goPackage], {
      env: { ...process.env, GOBIN: gobin, CGO_ENABLED: "0" },
      stdio: ["ignore", "inherit", "inherit"],
    });
    const built = join(gobin, this.exe);
    const ok = r.status === 0 && this.matches(built);
    if (ok) this.install(built, "go install");
    rmSync(gobin, { recursive: true, force: true });
    return ok;
  }

  async run() {
    const { name, version } = this.spec;
    const NAME = name.toUpperCase();
    if (process.env[`STAGEGATE_SKIP_${NAME}_INSTALL`] === "1") return;
    if (this.matches(this.target)) return;
    const candidates = [
      [process.env[`${NAME}_PATH`], `${NAME}_PATH`],
      [onPath(this.exe), `${name} on PATH`],
      [this.userCache, "cached copy"],
    ];
    for (const [bin, how] of candidates) {
      if (bin && this.matches(bin)) return this.install(bin, how);
    }
    if (await this.fromRelease()) return;
    if (this.fromGoInstall()) return;
    const why = this.spec.neededFor ? ` (needed only for ${this.spec.neededFor})` : "";
    log(
      `could not install ${name} v${version}${why}: no matching ${NAME}_PATH or ${name} on PATH, ` +
        `no access to its official release, and no Go toolchain.\n` +
        `Install ${name} v${version} and set ${NAME}_PATH, then run \`npm run install-${name}\`.`,
    );
    if (this.spec.required) process.exitCode = 1;
  }
}

/** Installs the tool unless it is already in place; failures warn (or set the exit code when required). */
export async function installTool(spec) {
  await new Installer(spec).run();
}

/** Whether the calling script was run directly (not imported). */
export function isMain(metaUrl) {
  return Boolean(process.argv[1]) && resolve(process.argv[1]) === fileURLToPath(metaUrl);
}
