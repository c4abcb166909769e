# Flux Kustomizations (kustomize.toolkit.fluxcd.io) and HelmReleases
# (helm.toolkit.fluxcd.io): explicit garbage collection, a declared source,
# pinned chart versions and a reconciliation interval.
package stagegate.lib.flux

import data.stagegate.lib.util

flux_kind("Kustomization") if startswith(input.apiVersion, "kustomize.toolkit.fluxcd.io/")

flux_kind("HelmRelease") if startswith(input.apiVersion, "helm.toolkit.fluxcd.io/")

kustomization if {
	input.kind == "Kustomization"
	flux_kind("Kustomization")
}

helm_release if {
	input.kind == "HelmRelease"
	flux_kind("HelmRelease")
}

# Kinds a Kustomization may take its artifact from.
source_kinds := {"GitRepository", "OCIRepository", "Bucket", "ExternalArtifact"}

deny_prune contains util.finding("flux/prune", msg, path) if {
	kustomization
	not is_boolean(object.get(input, ["spec", "prune"], null))
	path := util.existing_path(input, ["spec", "prune"])
	msg := sprintf(
		"%s: spec.prune is not set; set it explicitly to true (delete objects removed from Git) or false (keep them)",
		[util.input_resource],
	)
}

deny_source_ref contains util.finding("flux/source-ref", msg, path) if {
	kustomization
	not is_object(object.get(input, ["spec", "sourceRef"], null))
	path := util.existing_path(input, ["spec", "sourceRef"])
	msg := sprintf(
		"%s: spec.sourceRef is missing; point it at the GitRepository, OCIRepository or Bucket to reconcile from",
		[util.input_resource],
	)
}

deny_source_ref contains util.finding("flux/source-ref", msg, path) if {
	kustomization
	ref := input.spec.sourceRef
	is_object(ref)
	some field in ["kind", "name"]
	not util.is_nonempty_string(object.get(ref, field, null))
	path := ["spec", "sourceRef"]
	msg := sprintf(
		"%s: spec.sourceRef has no %s; set spec.sourceRef.%s",
		[util.input_resource, field, field],
	)
}

deny_source_ref contains util.finding("flux/source-ref", msg, path) if {
	kustomization
	kind := input.spec.sourceRef.kind
	util.is_nonempty_string(kind)
	not source_kinds[kind]
	path := ["spec", "sourceRef", "kind"]
	msg := sprintf(
		"%s: spec.sourceRef.kind %s is not a Flux source; use GitRepository, OCIRepository, Bucket or ExternalArtifact",
		[util.input_resource, kind],
	)
}

# A HelmRelease needs spec.chart (a chart template) or spec.chartRef.
deny_chart contains util.finding("flux/chart", msg, path) if {
	helm_release
	not util.present(input, ["spec", "chart"])
	not util.present(input, ["spec", "chartRef"])
	path := util.existing_path(input, ["spec", "chart"])
	msg := sprintf(
		"%s: neither spec.chart nor spec.chartRef is set; name the chart to install",
		[util.input_resource],
	)
}

# Charts from a HelmRepository or OCI repository must name one exact version;
# charts from a GitRepository or Bucket are pinned by the source revision.
deny_chart_version contains util.finding("flux/chart-version", msg, path) if {
	helm_release
	chart := input.spec.chart.spec
	is_object(chart)
	not object.get(chart, ["sourceRef", "kind"], "") in {"GitRepository", "Bucket"}
	version := object.get(chart, "version", "")
	not util.exact_version(version)
	path := util.existing_path(input, ["spec", "chart", "spec", "version"])
	msg := sprintf(
		"%s: chart %s %s, so an upgrade can happen without a pull request; set spec.chart.spec.version to an exact version such as 1.2.3",
		[util.input_resource, util.str(object.get(chart, "chart", "<unnamed>")), version_problem(version)],
	)
}

version_problem(version) := "has no version (Flux installs the latest)" if {
	version == ""
} else := sprintf("accepts any version matching %s", [version]) if {
	is_string(version)
} else := sprintf("has an invalid version %s", [util.str(version)])

warn_interval contains util.finding("flux/interval", msg, path) if {
	kind := input.kind
	flux_kind(kind)
	not util.is_nonempty_string(object.get(input, ["spec", "interval"], null))
	path := util.existing_path(input, ["spec", "interval"])
	msg := sprintf(
		"%s: spec.interval is not set; set how often Flux reconciles, e.g. interval: 10m",
		[util.input_resource],
	)
}

# Exemptions configured in params.exceptions (see policies/README.md).
exception contains rules if {
	rules := util.exempted("flux/")
	count(rules) > 0
}
