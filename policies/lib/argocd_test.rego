package stagegate.lib.argocd_test

import data.stagegate.lib.argocd as lib

application(spec) := {
	"apiVersion": "argoproj.io/v1alpha1",
	"kind": "Application",
	"metadata": {"name": "shop", "namespace": "argocd"},
	"spec": spec,
}

appset(spec) := {
	"apiVersion": "argoproj.io/v1alpha1",
	"kind": "ApplicationSet",
	"metadata": {"name": "shops"},
	"spec": {"generators": [{"list": {"elements": []}}], "template": {"metadata": {"name": "{{name}}"}, "spec": spec}},
}

good := {
	"project": "shop",
	"source": {"repoURL": "https://github.com/acme/deploy.git", "path": "shop", "targetRevision": "v1.4.2"},
	"destination": {"server": "https://kubernetes.default.svc", "namespace": "shop"},
	"syncPolicy": {"automated": {"prune": true, "selfHeal": true}, "syncOptions": ["CreateNamespace=true", "PruneLast=true"]},
}

with_field(field, value) := object.union(object.remove(good, [field]), {field: value})

production := {"environment": "production", "file": "apps/shop.yaml", "index": 0}

paths(findings) := {f.path | some f in findings}

ids(findings) := {f.id | some f in findings}

test_good_application_passes_everything if {
	count(lib.warn_default_project) == 0 with input as application(good)
	count(lib.deny_pinned_revision) == 0 with input as application(good) with data.stagegate.context as production
	count(lib.warn_allow_empty) == 0 with input as application(good)
	count(lib.warn_prune_last) == 0 with input as application(good)
}

test_other_kinds_ignored if {
	other := object.union(application(with_field("project", "default")), {"apiVersion": "example.com/v1"})
	count(lib.warn_default_project) == 0 with input as other
}

test_default_project if {
	findings := lib.warn_default_project with input as application(with_field("project", "default"))
	paths(findings) == {["spec", "project"]}
	ids(findings) == {"argocd/default-project"}
	missing := lib.warn_default_project with input as appset(object.remove(good, ["project"]))
	paths(missing) == {["spec", "template", "spec"]}
}

test_head_revision_denied_in_production if {
	app := application(with_field("source", {"repoURL": "https://github.com/acme/deploy.git", "path": "shop", "targetRevision": "HEAD"}))
	findings := lib.deny_pinned_revision with input as app with data.stagegate.context as production
	paths(findings) == {["spec", "source", "targetRevision"]}
	some f in findings
	f.id == "argocd/pinned-revision"
	f.msg == "Application/shop: source https://github.com/acme/deploy.git tracks HEAD, so what production runs can change without a pull request; set targetRevision to a tag or commit SHA"
}

test_head_revision_allowed_outside_pinned_environments if {
	app := application(with_field("source", {"repoURL": "https://github.com/acme/deploy.git", "targetRevision": "HEAD"}))
	count(lib.deny_pinned_revision) == 0 with input as app with data.stagegate.context as {"environment": "staging"}
	count(lib.deny_pinned_revision) == 0 with input as app
}

test_missing_revision_in_sources_of_appset if {
	spec := with_field("sources", [
		{"repoURL": "https://github.com/acme/deploy.git", "targetRevision": "3f2a9c1"},
		{"repoURL": "https://github.com/acme/values.git"},
	])
	findings := lib.deny_pinned_revision with input as appset(object.remove(spec, ["source"])) with data.stagegate.context as production
	paths(findings) == {["spec", "template", "spec", "sources", 1]}
}

test_pinned_environments_and_branches_from_params if {
	app := application(with_field("source", {"repoURL": "https://github.com/acme/deploy.git", "targetRevision": "main"}))
	params := {"argocd": {"pinned_revision_environments": ["staging"], "unpinned_revisions": ["main"]}}
	findings := lib.deny_pinned_revision with input as app with data.stagegate.context as {"environment": "staging"} with data.stagegate.params as params
	count(findings) == 1
	count(lib.deny_pinned_revision) == 0 with input as app with data.stagegate.context as production with data.stagegate.params as params
}

test_helm_chart_ranges if {
	ranged := application(with_field("source", {"repoURL": "https://charts.example.com", "chart": "redis", "targetRevision": "18.*"}))
	findings := lib.deny_pinned_revision with input as ranged with data.stagegate.context as production
	paths(findings) == {["spec", "source", "targetRevision"]}
	some f in findings
	contains(f.msg, "source redis accepts chart versions matching 18.*")
	exact := application(with_field("source", {"repoURL": "https://charts.example.com", "chart": "redis", "targetRevision": "18.6.1"}))
	count(lib.deny_pinned_revision) == 0 with input as exact with data.stagegate.context as production
}

test_allow_empty_with_prune if {
	app := application(with_field("syncPolicy", {"automated": {"prune": true, "allowEmpty": true}, "syncOptions": ["PruneLast=true"]}))
	findings := lib.warn_allow_empty with input as app
	paths(findings) == {["spec", "syncPolicy", "automated", "allowEmpty"]}
	ids(findings) == {"argocd/allow-empty"}
	no_prune := application(with_field("syncPolicy", {"automated": {"prune": false, "allowEmpty": true}}))
	count(lib.warn_allow_empty) == 0 with input as no_prune
}

test_prune_without_prune_last if {
	app := application(with_field("syncPolicy", {"automated": {"prune": true}}))
	findings := lib.warn_prune_last with input as app
	paths(findings) == {["spec", "syncPolicy"]}
	ids(findings) == {"argocd/prune-last"}
	with_options := application(with_field("syncPolicy", {"automated": {"prune": true}, "syncOptions": ["CreateNamespace=true"]}))
	paths(lib.warn_prune_last) == {["spec", "syncPolicy", "syncOptions"]} with input as with_options
	manual := application(with_field("syncPolicy", {}))
	count(lib.warn_prune_last) == 0 with input as manual
}
