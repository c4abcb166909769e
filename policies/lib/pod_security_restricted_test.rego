package stagegate.lib.pod_security_restricted_test

import data.stagegate.lib.pod_security_restricted as lib

deployment(pod) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "web"},
	"spec": {"template": {"spec": pod}},
}

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "one"}, "spec": spec}

cronjob(pod) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "nightly"},
	"spec": {"jobTemplate": {"spec": {"template": {"spec": pod}}}},
}

hardened_sc := {
	"allowPrivilegeEscalation": false,
	"capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]},
}

app := {"name": "app", "image": "nginx:1.27", "securityContext": hardened_sc}

hardened_pod := {
	"securityContext": {"runAsNonRoot": true, "runAsUser": 1000, "seccompProfile": {"type": "RuntimeDefault"}},
	"containers": [app],
	"volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "data"}}, {"name": "tmp", "emptyDir": {}}],
}

# hardened_pod with one field replaced (object.union would merge it deeply).
pod_with(field, value) := object.union(object.remove(hardened_pod, [field]), {field: value})

dep_c := ["spec", "template", "spec", "containers", 0]

ids(findings) := {f.id | some f in findings}

paths(findings) := {f.path | some f in findings}

all_findings contains f if {
	some name, rules in lib
	startswith(name, "deny_")
	some f in rules
}

test_hardened_workloads_pass if {
	count(all_findings) == 0 with input as deployment(hardened_pod)
	count(all_findings) == 0 with input as pod(hardened_pod)
	count(all_findings) == 0 with input as cronjob(hardened_pod)
}

test_leaves_baseline_problems_to_the_baseline if {
	sc := object.union(hardened_sc, {"seccompProfile": {"type": "Unconfined"}, "capabilities": {"add": ["SYS_ADMIN"]}})
	d := deployment(object.union(pod_with("hostNetwork", true), {
		"containers": [object.union(app, {"securityContext": sc})],
		"volumes": [{"name": "host", "hostPath": {"path": "/etc"}}],
	}))
	count(all_findings) == 0 with input as d
}

test_volume_types if {
	d := deployment(pod_with("volumes", [
		{"name": "nfs", "nfs": {"server": "nfs.local", "path": "/"}},
		{"name": "cfg", "configMap": {"name": "cfg"}},
	]))
	findings := lib.deny_volume_types with input as d
	paths(findings) == {["spec", "template", "spec", "volumes", 0, "nfs"]}
	some f in findings
	f.id == "pod-security/volume-types"
	contains(f.msg, "volume \"nfs\" uses the nfs volume type")
}

test_privilege_escalation_missing_points_at_container if {
	d := deployment(pod_with("containers", [{"name": "app", "image": "nginx:1.27"}]))
	findings := lib.deny_privilege_escalation with input as d
	paths(findings) == {dep_c}
	ids(findings) == {"pod-security/privilege-escalation"}
}

test_privilege_escalation_true if {
	sc := object.union(hardened_sc, {"allowPrivilegeEscalation": true})
	p := pod(pod_with("initContainers", [{"name": "init", "image": "busybox:1", "securityContext": sc}]))
	findings := lib.deny_privilege_escalation with input as p
	paths(findings) == {["spec", "initContainers", 0, "securityContext", "allowPrivilegeEscalation"]}
	some f in findings
	contains(f.msg, "Pod/one: init container \"init\"")
}

test_privilege_escalation_false if {
	count(lib.deny_privilege_escalation) == 0 with input as pod(hardened_pod)
}

test_run_as_non_root_missing if {
	d := deployment(pod_with("securityContext", {"seccompProfile": {"type": "RuntimeDefault"}}))
	findings := lib.deny_run_as_non_root with input as d
	paths(findings) == {array.concat(dep_c, ["securityContext"])}
	ids(findings) == {"pod-security/run-as-non-root"}
}

test_run_as_non_root_container_overrides_pod if {
	sc := object.union(hardened_sc, {"runAsNonRoot": false})
	d := deployment(pod_with("containers", [object.union(app, {"securityContext": sc})]))
	findings := lib.deny_run_as_non_root with input as d
	paths(findings) == {array.concat(dep_c, ["securityContext", "runAsNonRoot"])}
}

test_run_as_non_root_pod_false if {
	p := pod(pod_with("securityContext", {"runAsNonRoot": false, "seccompProfile": {"type": "RuntimeDefault"}}))
	paths(lib.deny_run_as_non_root) == {["spec", "securityContext", "runAsNonRoot"]} with input as p
}

test_run_as_non_root_set_on_every_container if {
	sc := object.union(hardened_sc, {"runAsNonRoot": true})
	p := pod(object.union(pod_with("securityContext", {}), {"containers": [object.union(app, {"securityContext": sc})]}))
	count(lib.deny_run_as_non_root) == 0 with input as p
}

test_run_as_user_root if {
	sc := object.union(hardened_sc, {"runAsUser": 0})
	d := deployment(pod_with("containers", [object.union(app, {"securityContext": sc})]))
	findings := lib.deny_run_as_user with input as d
	paths(findings) == {array.concat(dep_c, ["securityContext", "runAsUser"])}
	ids(findings) == {"pod-security/run-as-user"}
	count(lib.deny_run_as_user) == 0 with input as deployment(hardened_pod)
}

test_seccomp_missing_everywhere if {
	d := deployment(pod_with("securityContext", {"runAsNonRoot": true}))
	findings := lib.deny_seccomp with input as d
	paths(findings) == {array.concat(dep_c, ["securityContext"])}
	ids(findings) == {"pod-security/seccomp"}
}

test_seccomp_wrong_type if {
	sc := object.union(hardened_sc, {"seccompProfile": {"localhostProfile": "p.json"}})
	d := deployment(pod_with("containers", [object.union(app, {"securityContext": sc})]))
	findings := lib.deny_seccomp with input as d
	paths(findings) == {array.concat(dep_c, ["securityContext", "seccompProfile"])}
	some f in findings
	f.msg == "Deployment/web: container \"app\" has a seccompProfile without a type; set seccompProfile.type to RuntimeDefault or Localhost"
}

test_seccomp_on_container_only if {
	sc := object.union(hardened_sc, {"seccompProfile": {"type": "Localhost", "localhostProfile": "p.json"}})
	p := pod(object.union(pod_with("securityContext", {"runAsNonRoot": true}), {"containers": [object.union(app, {"securityContext": sc})]}))
	count(lib.deny_seccomp) == 0 with input as p
}

test_capabilities_not_dropped if {
	sc := {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["NET_RAW"]}}
	d := deployment(pod_with("containers", [object.union(app, {"securityContext": sc})]))
	findings := lib.deny_capabilities with input as d
	paths(findings) == {array.concat(dep_c, ["securityContext", "capabilities", "drop"])}
	ids(findings) == {"pod-security/capabilities"}
}

test_capabilities_added if {
	sc := {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE", "CHOWN", "SYS_ADMIN"]}}
	c := cronjob(pod_with("containers", [object.union(app, {"securityContext": sc})]))
	findings := lib.deny_capabilities with input as c
	paths(findings) == {["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "securityContext", "capabilities", "add", 1]}
}

test_windows_pods_skip_linux_controls if {
	p := pod({
		"os": {"name": "windows"},
		"securityContext": {"runAsNonRoot": true},
		"containers": [{"name": "app", "image": "iis:2022"}],
	})
	count(all_findings) == 0 with input as p
}
