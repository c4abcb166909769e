package stagegate.lib.flux_test

import data.stagegate.lib.flux as lib

kustomization(spec) := {
	"apiVersion": "kustomize.toolkit.fluxcd.io/v1",
	"kind": "Kustomization",
	"metadata": {"name": "apps", "namespace": "flux-system"},
	"spec": spec,
}

helm_release(spec) := {
	"apiVersion": "helm.toolkit.fluxcd.io/v2",
	"kind": "HelmRelease",
	"metadata": {"name": "redis"},
	"spec": spec,
}

good_ks := {"interval": "10m", "path": "./apps", "prune": true, "sourceRef": {"kind": "GitRepository", "name": "flux-system"}}

chart(version) := {"spec": {"chart": "redis", "version": version, "sourceRef": {"kind": "HelmRepository", "name": "bitnami"}}}

good_hr := {"interval": "1h", "chart": chart("18.6.1")}

paths(findings) := {f.path | some f in findings}

ids(findings) := {f.id | some f in findings}

test_good_resources_pass if {
	count(lib.deny_prune) == 0 with input as kustomization(good_ks)
	count(lib.deny_source_ref) == 0 with input as kustomization(good_ks)
	count(lib.warn_interval) == 0 with input as kustomization(good_ks)
	count(lib.deny_chart) == 0 with input as helm_release(good_hr)
	count(lib.deny_chart_version) == 0 with input as helm_release(good_hr)
	count(lib.warn_interval) == 0 with input as helm_release(good_hr)
}

test_kustomize_config_kustomization_ignored if {
	k := {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "resources": ["a.yaml"]}
	count(lib.deny_prune) == 0 with input as k
	count(lib.deny_source_ref) == 0 with input as k
	count(lib.warn_interval) == 0 with input as k
}

test_prune_missing if {
	findings := lib.deny_prune with input as kustomization(object.remove(good_ks, ["prune"]))
	paths(findings) == {["spec"]}
	some f in findings
	f.id == "flux/prune"
	f.msg == "Kustomization/apps: spec.prune is not set; set it explicitly to true (delete objects removed from Git) or false (keep them)"
}

test_prune_false_is_explicit if {
	count(lib.deny_prune) == 0 with input as kustomization(object.union(good_ks, {"prune": false}))
	paths(lib.deny_prune) == {["spec", "prune"]} with input as kustomization(object.union(good_ks, {"prune": "yes"}))
}

test_source_ref_missing if {
	findings := lib.deny_source_ref with input as kustomization(object.remove(good_ks, ["sourceRef"]))
	paths(findings) == {["spec"]}
	ids(findings) == {"flux/source-ref"}
}

test_source_ref_incomplete_or_wrong_kind if {
	incomplete := kustomization(object.union(object.remove(good_ks, ["sourceRef"]), {"sourceRef": {"kind": "GitRepository"}}))
	paths(lib.deny_source_ref) == {["spec", "sourceRef"]} with input as incomplete
	wrong := kustomization(object.union(object.remove(good_ks, ["sourceRef"]), {"sourceRef": {"kind": "HelmRepository", "name": "x"}}))
	paths(lib.deny_source_ref) == {["spec", "sourceRef", "kind"]} with input as wrong
}

test_chart_missing if {
	findings := lib.deny_chart with input as helm_release({"interval": "1h"})
	paths(findings) == {["spec"]}
	ids(findings) == {"flux/chart"}
	count(lib.deny_chart) == 0 with input as helm_release({"interval": "1h", "chartRef": {"kind": "OCIRepository", "name": "redis"}})
}

test_chart_version_ranges if {
	every version in ["*", "18.x", "^18.0.0", ">=18.0.0 <19.0.0", "~18.6"] {
		findings := lib.deny_chart_version with input as helm_release(object.union(good_hr, {"chart": chart(version)}))
		paths(findings) == {["spec", "chart", "spec", "version"]}
		ids(findings) == {"flux/chart-version"}
	}
}

test_chart_version_missing if {
	c := {"spec": {"chart": "redis", "sourceRef": {"kind": "HelmRepository", "name": "bitnami"}}}
	findings := lib.deny_chart_version with input as helm_release({"interval": "1h", "chart": c})
	paths(findings) == {["spec", "chart", "spec"]}
	some f in findings
	contains(f.msg, "HelmRelease/redis: chart redis has no version")
}

test_chart_version_not_needed if {
	git := {"spec": {"chart": "./charts/redis", "sourceRef": {"kind": "GitRepository", "name": "repo"}}}
	count(lib.deny_chart_version) == 0 with input as helm_release({"interval": "1h", "chart": git})
	count(lib.deny_chart_version) == 0 with input as helm_release({"interval": "1h", "chartRef": {"kind": "OCIRepository", "name": "redis"}})
	count(lib.deny_chart_version) == 0 with input as helm_release(object.union(good_hr, {"chart": chart("v2.0.0-rc.1")}))
}

test_interval_missing if {
	findings := lib.warn_interval with input as helm_release(object.remove(good_hr, ["interval"]))
	paths(findings) == {["spec"]}
	ids(findings) == {"flux/interval"}
	count(lib.warn_interval) == 1 with input as kustomization(object.remove(good_ks, ["interval"]))
}
