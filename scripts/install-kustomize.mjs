#!/usr/bin/env node
// Puts the pinned kustomize binary at .tools/bin/kustomize (runs on `npm ci` as postinstall, after opa).
// The order it tries (KUSTOMIZE_PATH, PATH, user cache, official release, go install) is in install-tool.mjs.
//
// Rendering (`stagegate check --render`) is optional: when nothing works this warns and exits 0, so an
// install for plain checks never fails over it. STAGEGATE_SKIP_KUSTOMIZE_INSTALL=1 skips all of it.
import { exeName, fromTarGz, goPlatform, installTool, isMain } from "./install-tool.mjs";

// Keep in step with src/render/toolchain.ts. v5.8.x needs Go 1.27 for `go install`.
export const KUSTOMIZE_VERSION = "5.7.1";

export const KUSTOMIZE = {
  name: "kustomize",
  version: KUSTOMIZE_VERSION,
  versionArgs: ["version"],
  parseVersion: (out) => /v?(\d+\.\d+\.\d+)/.exec(out)?.[1],
  release() {
    const p = goPlatform();
    if (!p) return undefined;
    const asset = `kustomize_v${KUSTOMIZE_VERSION}_${p.os}_${p.arch}.tar.gz`;
    const base = `https://github.com/kubernetes-sigs/kustomize/releases/download/kustomize%2Fv${KUSTOMIZE_VERSION}`;
    return {
      url: `${base}/${asset}`,
      sumsUrl: `${base}/checksums.txt`,
      asset,
      extract: (archive) => fromTarGz(archive, exeName("kustomize")),
    };
  },
  goPackage: `sigs.k8s.io/kustomize/kustomize/v5@v${KUSTOMIZE_VERSION}`,
  buildTime: "about a minute",
  neededFor: "`stagegate check --render`",
};

if (isMain(import.meta.url)) await installTool(KUSTOMIZE);
