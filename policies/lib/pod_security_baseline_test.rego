package stagegate.lib.pod_security_baseline_test

import data.stagegate.lib.pod_security_baseline as lib

deployment(pod) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "web"},
	"spec": {"template": {"metadata": {"labels": {"app": "web"}}, "spec": pod}},
}

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "one"}, "spec": spec}

cronjob(pod) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "nightly"},
	"spec": {"schedule": "0 1 * * *", "jobTemplate": {"spec": {"template": {"spec": pod}}}},
}

app := {"name": "app", "image": "nginx:1.27"}

dep_c := ["spec", "template", "spec", "containers", 0]

ids(findings) := {f.id | some f in findings}

paths(findings) := {f.path | some f in findings}

# A clean workload fires no baseline rule at all.
all_findings contains f if some f in lib.deny_privileged

all_findings contains f if some f in lib.deny_host_namespaces

all_findings contains f if some f in lib.deny_host_path

all_findings contains f if some f in lib.deny_host_ports

all_findings contains f if some f in lib.deny_capabilities

all_findings contains f if some f in lib.deny_host_process

all_findings contains f if some f in lib.deny_proc_mount

all_findings contains f if some f in lib.deny_seccomp

all_findings contains f if some f in lib.deny_sysctls

all_findings contains f if some f in lib.deny_apparmor

all_findings contains f if some f in lib.deny_selinux

test_clean_deployment_has_no_findings if {
	clean := deployment({
		"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}, "sysctls": [{"name": "net.ipv4.tcp_syncookies", "value": "1"}]},
		"containers": [object.union(app, {
			"ports": [{"containerPort": 80}],
			"securityContext": {"privileged": false, "capabilities": {"add": ["NET_BIND_SERVICE"]}, "procMount": "Default"},
		})],
		"volumes": [{"name": "cache", "emptyDir": {}}],
	})
	count(all_findings) == 0 with input as clean
}

test_non_workloads_are_ignored if {
	count(all_findings) == 0 with input as {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"a": "b"}}
	count(all_findings) == 0 with input as "not an object"
	count(all_findings) == 0 with input as {"kind": "Deployment", "spec": {"template": {"spec": {"containers": "oops"}}}}
}

test_privileged_deployment if {
	d := deployment({"containers": [object.union(app, {"securityContext": {"privileged": true}})]})
	findings := lib.deny_privileged with input as d
	count(findings) == 1
	some f in findings
	f.id == "pod-security/privileged"
	f.path == array.concat(dep_c, ["securityContext", "privileged"])
	f.msg == "Deployment/web: container \"app\" runs privileged, with full access to the node; set securityContext.privileged to false or remove it"
}

test_privileged_init_container_of_cronjob if {
	c := cronjob({"initContainers": [{"name": "setup", "image": "busybox:1", "securityContext": {"privileged": true}}], "containers": [app]})
	findings := lib.deny_privileged with input as c
	paths(findings) == {["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0, "securityContext", "privileged"]}
	some f in findings
	contains(f.msg, "CronJob/nightly: init container \"setup\"")
}

test_not_privileged if {
	count(lib.deny_privileged) == 0 with input as deployment({"containers": [app]})
	count(lib.deny_privileged) == 0 with input as pod({"containers": [object.union(app, {"securityContext": {"privileged": false}})]})
}

test_host_namespaces if {
	findings := lib.deny_host_namespaces with input as pod({"hostNetwork": true, "hostPID": true, "hostIPC": false, "containers": [app]})
	ids(findings) == {"pod-security/host-namespaces"}
	paths(findings) == {["spec", "hostNetwork"], ["spec", "hostPID"]}
}

test_no_host_namespaces if {
	count(lib.deny_host_namespaces) == 0 with input as pod({"hostNetwork": false, "containers": [app]})
}

test_host_path if {
	d := deployment({"containers": [app], "volumes": [{"name": "cfg", "configMap": {"name": "x"}}, {"name": "docker", "hostPath": {"path": "/var/run/docker.sock"}}]})
	findings := lib.deny_host_path with input as d
	paths(findings) == {["spec", "template", "spec", "volumes", 1, "hostPath"]}
	some f in findings
	f.id == "pod-security/host-path"
	contains(f.msg, "volume \"docker\" mounts the node's directory /var/run/docker.sock")
}

test_no_host_path if {
	count(lib.deny_host_path) == 0 with input as deployment({"containers": [app], "volumes": [{"name": "tmp", "emptyDir": {}}]})
}

test_host_ports if {
	p := pod({"containers": [object.union(app, {"ports": [{"containerPort": 80}, {"containerPort": 443, "hostPort": 443}]})]})
	findings := lib.deny_host_ports with input as p
	paths(findings) == {["spec", "containers", 0, "ports", 1, "hostPort"]}
	ids(findings) == {"pod-security/host-ports"}
}

test_host_ports_allowed_by_params if {
	p := pod({"containers": [object.union(app, {"ports": [{"containerPort": 443, "hostPort": 443}, {"containerPort": 80, "hostPort": 0}]})]})
	count(lib.deny_host_ports) == 0 with input as p with data.stagegate.params as {"pod_security": {"allowed_host_ports": [443]}}
}

test_capabilities_beyond_baseline if {
	sc := {"capabilities": {"add": ["CHOWN", "SYS_ADMIN", "NET_RAW"]}}
	findings := lib.deny_capabilities with input as deployment({"containers": [object.union(app, {"securityContext": sc})]})
	paths(findings) == {
		array.concat(dep_c, ["securityContext", "capabilities", "add", 1]),
		array.concat(dep_c, ["securityContext", "capabilities", "add", 2]),
	}
	ids(findings) == {"pod-security/capabilities"}
}

test_capabilities_within_baseline if {
	sc := {"capabilities": {"add": ["CHOWN", "NET_BIND_SERVICE"], "drop": ["ALL"]}}
	count(lib.deny_capabilities) == 0 with input as deployment({"containers": [object.union(app, {"securityContext": sc})]})
}

test_host_process if {
	p := pod({"securityContext": {"windowsOptions": {"hostProcess": true}}, "containers": [app]})
	findings := lib.deny_host_process with input as p
	paths(findings) == {["spec", "securityContext", "windowsOptions", "hostProcess"]}
	ids(findings) == {"pod-security/host-process"}
	count(lib.deny_host_process) == 0 with input as pod({"securityContext": {"windowsOptions": {"hostProcess": false}}, "containers": [app]})
}

test_proc_mount if {
	d := deployment({"containers": [object.union(app, {"securityContext": {"procMount": "Unmasked"}})]})
	findings := lib.deny_proc_mount with input as d
	paths(findings) == {array.concat(dep_c, ["securityContext", "procMount"])}
	ids(findings) == {"pod-security/proc-mount"}
	count(lib.deny_proc_mount) == 0 with input as deployment({"containers": [object.union(app, {"securityContext": {"procMount": "Default"}})]})
}

test_seccomp_unconfined_pod_and_container if {
	d := deployment({
		"securityContext": {"seccompProfile": {"type": "Unconfined"}},
		"containers": [object.union(app, {"securityContext": {"seccompProfile": {"type": "Unconfined"}}})],
	})
	findings := lib.deny_seccomp with input as d
	paths(findings) == {
		["spec", "template", "spec", "securityContext", "seccompProfile", "type"],
		array.concat(dep_c, ["securityContext", "seccompProfile", "type"]),
	}
	ids(findings) == {"pod-security/seccomp"}
}

test_seccomp_unset_is_fine_for_baseline if {
	count(lib.deny_seccomp) == 0 with input as deployment({"containers": [app]})
	count(lib.deny_seccomp) == 0 with input as deployment({"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}, "containers": [app]})
}

test_unsafe_sysctl if {
	p := pod({"securityContext": {"sysctls": [{"name": "kernel.shm_rmid_forced", "value": "1"}, {"name": "kernel.msgmax", "value": "65536"}]}, "containers": [app]})
	findings := lib.deny_sysctls with input as p
	paths(findings) == {["spec", "securityContext", "sysctls", 1]}
	some f in findings
	f.id == "pod-security/sysctls"
	contains(f.msg, "kernel.msgmax")
}

test_apparmor_field_and_annotation if {
	d := {
		"apiVersion": "apps/v1",
		"kind": "Deployment",
		"metadata": {"name": "web"},
		"spec": {"template": {
			"metadata": {"annotations": {"container.apparmor.security.beta.kubernetes.io/app": "unconfined"}},
			"spec": {"containers": [object.union(app, {"securityContext": {"appArmorProfile": {"type": "Unconfined"}}})]},
		}},
	}
	findings := lib.deny_apparmor with input as d
	paths(findings) == {
		["spec", "template", "metadata", "annotations", "container.apparmor.security.beta.kubernetes.io/app"],
		array.concat(dep_c, ["securityContext", "appArmorProfile", "type"]),
	}
	ids(findings) == {"pod-security/apparmor"}
}

test_apparmor_allowed if {
	p := {
		"apiVersion": "v1",
		"kind": "Pod",
		"metadata": {"name": "one", "annotations": {
			"container.apparmor.security.beta.kubernetes.io/app": "localhost/k8s-nginx",
			"container.apparmor.security.beta.kubernetes.io/side": "runtime/default",
		}},
		"spec": {"containers": [object.union(app, {"securityContext": {"appArmorProfile": {"type": "RuntimeDefault"}}})]},
	}
	count(lib.deny_apparmor) == 0 with input as p
}

test_selinux if {
	p := pod({"securityContext": {"seLinuxOptions": {"type": "spc_t", "user": "system_u"}}, "containers": [app]})
	findings := lib.deny_selinux with input as p
	paths(findings) == {["spec", "securityContext", "seLinuxOptions", "type"], ["spec", "securityContext", "seLinuxOptions", "user"]}
	ids(findings) == {"pod-security/selinux"}
}

test_selinux_allowed if {
	p := pod({"securityContext": {"seLinuxOptions": {"type": "container_t", "level": "s0:c123,c456"}}, "containers": [app]})
	count(lib.deny_selinux) == 0 with input as p
}

test_exception_from_params if {
	params := {"exceptions": [{"rules": ["pod-security/host-path"], "kinds": ["Deployment"], "names": ["web"]}]}
	lib.exception == {["host_path"]} with input as deployment({"containers": [app]}) with data.stagegate.params as params
	count(lib.exception) == 0 with input as pod({"containers": [app]}) with data.stagegate.params as params
}
