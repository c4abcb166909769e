#!/usr/bin/env node
// Puts the pinned Helm binary at .tools/bin/helm (runs on `npm ci` as postinstall, after kustomize).
// The order it tries (HELM_PATH, PATH, user cache, official release from get.helm.sh checked against its
// .sha256sum, go install) is in install-tool.mjs.
//
// Only rendering Helm charts needs it: when nothing works this warns and exits 0.
// STAGEGATE_SKIP_HELM_INSTALL=1 skips all of it.
import { exeName, fromTarGz, goPlatform, installTool, isMain } from "./install-tool.mjs";

// Keep in step with src/render/helm-tool.ts.
export const HELM_VERSION = "4.3.2";

export const HELM = {
  name: "helm",
  version: HELM_VERSION,
  versionArgs: ["version", "--template", "{{.Version}}"],
  parseVersion: (out) => /v?(\d+\.\d+\.\d+)/.exec(out)?.[1],
  release() {
    const p = goPlatform();
    // Windows releases are zip archives: Windows falls through to go install.
    if (!p || p.os === "windows") return undefined;
    const asset = `helm-v${HELM_VERSION}-${p.os}-${p.arch}.tar.gz`;
    return {
      url: `https://get.helm.sh/${asset}`,
      sumsUrl: `https://get.helm.sh/${asset}.sha256sum`,
      asset,
      extract: (archive) => fromTarGz(archive, `${p.os}-${p.arch}/${exeName("helm")}`),
    };
  },
  goPackage: `helm.sh/helm/v4/cmd/helm@v${HELM_VERSION}`,
  // Helm's release build stamps the full version; without it a go-installed helm says only "v4.3".
  goFlags: ["-ldflags", `-X helm.sh/helm/v4/internal/version.version=v${HELM_VERSION}`],
  buildTime: "3 to 4 minutes",
  neededFor: "rendering Helm charts with `stagegate check --render`",
};

if (isMain(import.meta.url)) await installTool(HELM);
