package stagegate.lib.probes_test

import data.stagegate.lib.probes as lib

workload(kind, pod) := {
	"apiVersion": "apps/v1",
	"kind": kind,
	"metadata": {"name": "web"},
	"spec": {"template": {"spec": pod}},
}

probe := {"httpGet": {"path": "/healthz", "port": 8080}}

healthy := {"name": "app", "image": "nginx:1.27", "readinessProbe": probe, "livenessProbe": probe}

bare := {"name": "app", "image": "nginx:1.27"}

paths(findings) := {f.path | some f in findings}

test_probes_present if {
	count(lib.warn_readiness) == 0 with input as workload("Deployment", {"containers": [healthy]})
	count(lib.warn_liveness) == 0 with input as workload("StatefulSet", {"containers": [healthy]})
}

test_missing_probes_on_deployment if {
	d := workload("Deployment", {"containers": [healthy, bare]})
	readiness := lib.warn_readiness with input as d
	paths(readiness) == {["spec", "template", "spec", "containers", 1]}
	some r in readiness
	r.id == "probes/readiness"
	contains(r.msg, "Deployment/web: container \"app\" has no readinessProbe")
	liveness := lib.warn_liveness with input as d
	paths(liveness) == {["spec", "template", "spec", "containers", 1]}
	some l in liveness
	l.id == "probes/liveness"
}

test_daemonset_and_rollout if {
	count(lib.warn_liveness) == 1 with input as workload("DaemonSet", {"containers": [bare]})
	rollout := object.union(workload("Rollout", {"containers": [bare]}), {"apiVersion": "argoproj.io/v1alpha1"})
	count(lib.warn_readiness) == 1 with input as rollout
}

test_null_probe_counts_as_missing if {
	c := object.union(healthy, {"readinessProbe": null})
	count(lib.warn_readiness) == 1 with input as workload("Deployment", {"containers": [c]})
}

test_jobs_pods_and_init_containers_skipped if {
	count(lib.warn_readiness) == 0 with input as workload("Job", {"containers": [bare]})
	cron := {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "n"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [bare]}}}}}}
	count(lib.warn_liveness) == 0 with input as cron
	count(lib.warn_liveness) == 0 with input as {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [bare]}}
	d := workload("Deployment", {"initContainers": [bare], "containers": [healthy]})
	count(lib.warn_readiness) == 0 with input as d
	count(lib.warn_liveness) == 0 with input as d
}
