package stagegate.lib.resources_test

import data.stagegate.lib.resources as lib

deployment(container) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "web"},
	"spec": {"template": {"spec": {"containers": [container]}}},
}

cronjob(container) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "nightly"},
	"spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [container]}}}}},
}

full := {
	"name": "app",
	"image": "nginx:1.27",
	"resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "1", "memory": "256Mi"}},
}

dep_c := ["spec", "template", "spec", "containers", 0]

paths(findings) := {f.path | some f in findings}

ids(findings) := {f.id | some f in findings}

test_complete_resources_pass if {
	count(lib.deny_requests) == 0 with input as deployment(full)
	count(lib.deny_limits) == 0 with input as deployment(full) with data.stagegate.params as {"resources": {"require_cpu_limits": true}}
}

test_no_resources_at_all if {
	c := {"name": "app", "image": "nginx:1.27"}
	requests := lib.deny_requests with input as deployment(c)
	count(requests) == 2
	paths(requests) == {dep_c}
	ids(requests) == {"resources/requests"}
	some f in requests
	f.msg == "Deployment/web: container \"app\" has no cpu request; set resources.requests.cpu (e.g. 100m)"
	limits := lib.deny_limits with input as deployment(c)
	count(limits) == 1
	some l in limits
	l.id == "resources/limits"
	l.path == dep_c
	contains(l.msg, "no memory limit")
}

test_missing_memory_request_points_at_requests if {
	c := {"name": "app", "image": "nginx:1.27", "resources": {"requests": {"cpu": "100m"}, "limits": {"cpu": "1"}}}
	findings := lib.deny_requests with input as deployment(c)
	paths(findings) == {array.concat(dep_c, ["resources", "requests"])}
	paths(lib.deny_limits) == {array.concat(dep_c, ["resources", "limits"])} with input as deployment(c)
}

test_limit_counts_as_request if {
	c := {"name": "app", "image": "nginx:1.27", "resources": {"limits": {"cpu": "1", "memory": "256Mi"}}}
	count(lib.deny_requests) == 0 with input as deployment(c)
}

test_cpu_limits_only_when_required if {
	c := {"name": "job", "image": "busybox:1", "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"memory": "64Mi"}}}
	count(lib.deny_limits) == 0 with input as cronjob(c)
	findings := lib.deny_limits with input as cronjob(c) with data.stagegate.params as {"resources": {"require_cpu_limits": true}}
	paths(findings) == {["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "resources", "limits"]}
	some f in findings
	contains(f.msg, "CronJob/nightly: container \"job\" has no cpu limit")
}

test_init_containers_checked_ephemeral_not if {
	p := {
		"apiVersion": "v1",
		"kind": "Pod",
		"metadata": {"name": "one"},
		"spec": {
			"initContainers": [{"name": "setup", "image": "busybox:1", "resources": {"requests": {"cpu": "10m"}, "limits": {"memory": null}}}],
			"containers": [full],
			"ephemeralContainers": [{"name": "debug", "image": "busybox:1"}],
		},
	}
	requests := lib.deny_requests with input as p
	paths(requests) == {["spec", "initContainers", 0, "resources", "requests"]}
	limits := lib.deny_limits with input as p
	paths(limits) == {["spec", "initContainers", 0, "resources", "limits", "memory"]}
}
