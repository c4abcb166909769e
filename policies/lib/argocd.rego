# Argo CD Applications and ApplicationSets (argoproj.io): project isolation,
# pinned revisions in protected environments, and safe automated pruning.
# For an ApplicationSet the checks apply to its application template.
#
# Parameters (data.stagegate.params.argocd):
#   pinned_revision_environments  list, default ["production"]: environments
#                                 where every source needs a pinned targetRevision
#   unpinned_revisions            list, default []: more revisions to treat as
#                                 moving, e.g. ["main", "master"]
package stagegate.lib.argocd

import data.stagegate.lib.util

# app_specs is the set of {"spec", "path"} of the application(s) input defines.
app_specs contains {"spec": input.spec, "path": ["spec"]} if {
	argocd_kind("Application")
	is_object(input.spec)
}

app_specs contains {"spec": spec, "path": ["spec", "template", "spec"]} if {
	argocd_kind("ApplicationSet")
	spec := input.spec.template.spec
	is_object(spec)
}

argocd_kind(kind) if {
	input.kind == kind
	startswith(input.apiVersion, "argoproj.io/")
}

# sources is the set of {"source", "path"} of every application source.
sources contains {"source": app.spec.source, "path": array.concat(app.path, ["source"])} if {
	some app in app_specs
	is_object(app.spec.source)
}

sources contains {"source": source, "path": array.concat(app.path, ["sources", i])} if {
	some app in app_specs
	some i, source in app.spec.sources
	is_object(source)
}

warn_default_project contains util.finding("argocd/default-project", msg, path) if {
	some app in app_specs
	project := object.get(app.spec, "project", "")
	project in {"", "default"}
	path := util.existing_path(input, array.concat(app.path, ["project"]))
	msg := sprintf(
		"%s: application uses the default project, which may deploy anything anywhere; set spec.project to an AppProject that restricts its sources and destinations",
		[util.input_resource],
	)
}

default pinned_environments := ["production"]

pinned_environments := envs if {
	envs := util.param(["argocd", "pinned_revision_environments"], null)
	is_array(envs)
}

pinned_environment if util.environment in pinned_environments

deny_pinned_revision contains util.finding("argocd/pinned-revision", msg, path) if {
	pinned_environment
	some s in sources
	revision := object.get(s.source, "targetRevision", "")
	reason := unpinned_reason(s.source, revision)
	path := util.existing_path(input, array.concat(s.path, ["targetRevision"]))
	msg := sprintf(
		"%s: source %s %s, so what %s runs can change without a pull request; set targetRevision to a tag or commit SHA%s",
		[util.input_resource, util.str(source_name(s.source)), reason, util.environment, chart_hint(s.source)],
	)
}

# unpinned_reason explains why a revision moves; undefined when it is pinned.
# Templated ApplicationSet values ({{...}}) cannot be judged and pass.
unpinned_reason(source, revision) := "has no targetRevision (it follows HEAD)" if {
	revision == ""
} else := sprintf("tracks %s", [revision]) if {
	upper(revision) == "HEAD"
} else := sprintf("tracks the branch %s", [revision]) if {
	some moving in util.param(["argocd", "unpinned_revisions"], [])
	revision == moving
} else := sprintf("accepts chart versions matching %s", [revision]) if {
	source.chart
	not contains(revision, "{{")
	not util.exact_version(revision)
}

chart_hint(source) := " (for a Helm chart, an exact version such as 1.2.3)" if source.chart

chart_hint(source) := "" if not source.chart

source_name(source) := source.chart if source.chart

source_name(source) := object.get(source, "repoURL", "<no repoURL>") if not source.chart

# Automated pruning with allowEmpty deletes every resource when the source
# renders nothing (a wrong path, an emptied directory).
warn_allow_empty contains util.finding("argocd/allow-empty", msg, path) if {
	some app in app_specs
	automated := app.spec.syncPolicy.automated
	automated.prune == true
	automated.allowEmpty == true
	path := array.concat(app.path, ["syncPolicy", "automated", "allowEmpty"])
	msg := sprintf(
		"%s: automated sync prunes with allowEmpty: true, so an empty render deletes every resource of the application; remove allowEmpty or set it to false",
		[util.input_resource],
	)
}

# With PruneLast, Argo CD deletes objects only after the new ones are healthy.
warn_prune_last contains util.finding("argocd/prune-last", msg, path) if {
	some app in app_specs
	app.spec.syncPolicy.automated.prune == true
	not has_sync_option(app.spec, "PruneLast=true")
	path := util.existing_path(input, array.concat(app.path, ["syncPolicy", "syncOptions"]))
	msg := sprintf(
		"%s: automated sync prunes objects before the new ones are healthy; add PruneLast=true to spec.syncPolicy.syncOptions",
		[util.input_resource],
	)
}

has_sync_option(spec, option) if {
	some value in spec.syncPolicy.syncOptions
	value == option
}

# Exemptions configured in params.exceptions (see policies/README.md).
exception contains rules if {
	rules := util.exempted("argocd/")
	count(rules) > 0
}
