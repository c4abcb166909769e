package stagegate.lib.util_test

import data.stagegate.lib.util

exporter := {
	"apiVersion": "apps/v1",
	"kind": "DaemonSet",
	"metadata": {"name": "node-exporter", "namespace": "monitoring"},
	"spec": {"template": {"spec": {"containers": [{"name": "exporter", "image": "prom/node-exporter:v1.8.0"}]}}},
}

exceptions(list) := {"exceptions": list}

test_pod_spec_paths if {
	util.pod_spec_path({"kind": "Pod"}) == ["spec"]
	util.pod_spec_path({"kind": "StatefulSet"}) == ["spec", "template", "spec"]
	util.pod_spec_path({"kind": "CronJob"}) == ["spec", "jobTemplate", "spec", "template", "spec"]
	util.pod_spec_path({"kind": "Rollout", "apiVersion": "argoproj.io/v1alpha1"}) == ["spec", "template", "spec"]
	not util.pod_spec_path({"kind": "Rollout", "apiVersion": "example.com/v1"})
	not util.pod_spec_path({"kind": "ConfigMap"})
}

test_containers_with_paths_and_labels if {
	pod := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {
		"initContainers": [{"name": "init"}],
		"containers": [{"name": "app"}, {"image": "x"}, "junk"],
		"ephemeralContainers": [{"name": "debug"}],
	}}
	{[c.path, c.label] | some c in util.containers(pod)} == {
		[["spec", "initContainers", 0], "init container \"init\""],
		[["spec", "containers", 0], "container \"app\""],
		[["spec", "containers", 1], "container \"#1\""],
		[["spec", "ephemeralContainers", 0], "ephemeral container \"debug\""],
	}
}

test_existing_path if {
	doc := {"spec": {"containers": [{"name": "a", "securityContext": {"privileged": null}}]}}
	util.existing_path(doc, ["spec", "containers", 0, "securityContext", "privileged"]) == ["spec", "containers", 0, "securityContext", "privileged"]
	util.existing_path(doc, ["spec", "containers", 0, "resources", "limits"]) == ["spec", "containers", 0]
	util.existing_path(doc, ["status", "x"]) == []
}

test_resource_names if {
	util.resource(exporter) == "DaemonSet/node-exporter"
	util.resource({"kind": "Pod", "metadata": {"generateName": "job-"}}) == "Pod/job-*"
	util.resource({"metadata": 3}) == "<no kind>/<unnamed>"
}

test_exact_version if {
	util.exact_version("1.2.3")
	util.exact_version("v1.2.3-rc.1+build.5")
	not util.exact_version("1.2")
	not util.exact_version("1.x")
	not util.exact_version(">=1.0.0")
}

test_exempted_by_selectors if {
	params := exceptions([
		{"rules": ["pod-security/host-path", "pod-security/host-namespaces", "images/latest-tag"], "kinds": ["DaemonSet"], "names": ["node-exporter"]},
		{"rules": ["pod-security/privileged"], "names": ["other"]},
	])
	util.exempted("pod-security/") == ["host_path", "host_namespaces"] with input as exporter with data.stagegate.params as params
	util.exempted("images/") == ["latest_tag"] with input as exporter with data.stagegate.params as params
}

test_not_exempted_when_a_selector_differs if {
	params := exceptions([{"rules": ["pod-security/host-path"], "namespaces": ["kube-system"]}])
	util.exempted("pod-security/") == [] with input as exporter with data.stagegate.params as params
	util.exempted("pod-security/") == [] with input as exporter
}

test_exempted_by_file_glob if {
	params := exceptions([{"rules": ["resources/limits"], "files": ["envs/dev/**"]}])
	util.exempted("resources/") == ["limits"] with input as exporter
		with data.stagegate.params as params
		with data.stagegate.context as {"environment": "dev", "file": "envs/dev/monitoring/exporter.yaml"}
	util.exempted("resources/") == [] with input as exporter
		with data.stagegate.params as params
		with data.stagegate.context as {"environment": "production", "file": "envs/production/exporter.yaml"}
}
