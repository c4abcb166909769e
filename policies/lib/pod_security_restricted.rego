# Pod Security Standards, restricted profile: the controls it adds to the
# baseline profile (non-root, no privilege escalation, seccomp required,
# capabilities dropped, only ephemeral/projected volume types).
#
# This package holds only those additions: the library name
# pod-security-restricted evaluates it together with pod_security_baseline.
# Where both profiles constrain the same field (hostPath, an Unconfined seccomp
# profile, capabilities outside the baseline set) only the baseline rule
# reports, so that one problem gives one finding.
package stagegate.lib.pod_security_restricted

import data.stagegate.lib.pod_security_baseline as baseline
import data.stagegate.lib.util

allowed_volume_types := {
	"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
	"persistentVolumeClaim", "projected", "secret",
}

allowed_seccomp_types := {"RuntimeDefault", "Localhost"}

# Linux-only controls do not apply to pods that declare spec.os.name: windows.
windows if {
	some ps in util.input_pod_specs
	ps.spec.os.name == "windows"
}

deny_volume_types contains util.finding("pod-security/volume-types", msg, path) if {
	some ps in util.input_pod_specs
	some i, volume in ps.spec.volumes
	some source, _ in volume
	source != "name"
	not allowed_volume_types[source]
	source != "hostPath" # reported by pod-security/host-path
	path := array.concat(ps.path, ["volumes", i, source])
	msg := sprintf(
		"%s: volume \"%s\" uses the %s volume type, which the restricted Pod Security Standard forbids; use configMap, secret, emptyDir, projected, downwardAPI, csi, ephemeral or persistentVolumeClaim",
		[util.input_resource, util.str(object.get(volume, "name", i)), source],
	)
}

deny_privilege_escalation contains util.finding("pod-security/privilege-escalation", msg, path) if {
	some c in util.input_containers
	not windows
	not c.container.securityContext.allowPrivilegeEscalation == false
	path := util.existing_path(input, array.concat(c.path, ["securityContext", "allowPrivilegeEscalation"]))
	msg := sprintf(
		"%s: %s may gain more privileges than its parent process; set securityContext.allowPrivilegeEscalation to false",
		[util.input_resource, c.label],
	)
}

# runAsNonRoot: the container's own setting wins over the pod's.
deny_run_as_non_root contains util.finding("pod-security/run-as-non-root", msg, path) if {
	some c in util.input_containers
	not effective_run_as_non_root(c)
	path := run_as_non_root_path(c)
	msg := sprintf(
		"%s: %s may run as root; set securityContext.runAsNonRoot to true on the pod or the container",
		[util.input_resource, c.label],
	)
}

effective_run_as_non_root(c) if c.container.securityContext.runAsNonRoot == true

effective_run_as_non_root(c) if {
	not util.has(c.container, ["securityContext", "runAsNonRoot"])
	c.pod.spec.securityContext.runAsNonRoot == true
}

# Point at the setting that is wrong; when nothing is set, at the container.
run_as_non_root_path(c) := array.concat(c.path, ["securityContext", "runAsNonRoot"]) if {
	util.has(c.container, ["securityContext", "runAsNonRoot"])
} else := array.concat(c.pod.path, ["securityContext", "runAsNonRoot"]) if {
	util.has(c.pod.spec, ["securityContext", "runAsNonRoot"])
} else := util.existing_path(input, array.concat(c.path, ["securityContext", "runAsNonRoot"]))

deny_run_as_user contains util.finding("pod-security/run-as-user", msg, path) if {
	some entry in util.input_security_contexts
	entry.sc.runAsUser == 0
	path := array.concat(entry.path, ["runAsUser"])
	msg := sprintf(
		"%s: %s sets runAsUser: 0 (root); use a non-zero user ID",
		[util.input_resource, entry.label],
	)
}

# seccomp: any explicit profile must be RuntimeDefault or Localhost ...
deny_seccomp contains util.finding("pod-security/seccomp", msg, path) if {
	some entry in util.input_security_contexts
	not windows
	util.has(entry.sc, ["seccompProfile"])
	kind := object.get(entry.sc, ["seccompProfile", "type"], "")
	not allowed_seccomp_types[kind]
	kind != "Unconfined" # reported by pod-security/seccomp of the baseline
	path := util.existing_path(input, array.concat(entry.path, ["seccompProfile", "type"]))
	msg := sprintf(
		"%s: %s %s; set seccompProfile.type to RuntimeDefault or Localhost",
		[util.input_resource, entry.label, seccomp_problem(kind)],
	)
}

seccomp_problem(kind) := "has a seccompProfile without a type" if {
	kind == ""
} else := sprintf("sets seccompProfile.type to %s", [util.str(kind)])

# ... and every container needs one, its own or the pod's.
deny_seccomp contains util.finding("pod-security/seccomp", msg, path) if {
	some c in util.input_containers
	not windows
	not util.has(c.container, ["securityContext", "seccompProfile"])
	not util.has(c.pod.spec, ["securityContext", "seccompProfile"])
	path := util.existing_path(input, array.concat(c.path, ["securityContext", "seccompProfile"]))
	msg := sprintf(
		"%s: %s has no seccomp profile; set securityContext.seccompProfile.type to RuntimeDefault on the pod or the container",
		[util.input_resource, c.label],
	)
}

deny_capabilities contains util.finding("pod-security/capabilities", msg, path) if {
	some c in util.input_containers
	not windows
	not drops_all(c.container)
	path := util.existing_path(input, array.concat(c.path, ["securityContext", "capabilities", "drop"]))
	msg := sprintf(
		"%s: %s keeps the default Linux capabilities; set securityContext.capabilities.drop to [\"ALL\"]",
		[util.input_resource, c.label],
	)
}

deny_capabilities contains util.finding("pod-security/capabilities", msg, path) if {
	some c in util.input_containers
	not windows
	some k, cap in c.container.securityContext.capabilities.add
	cap != "NET_BIND_SERVICE"
	baseline.allowed_capabilities[cap] # others are reported by the baseline
	path := array.concat(c.path, ["securityContext", "capabilities", "add", k])
	msg := sprintf(
		"%s: %s adds capability %s; the restricted Pod Security Standard allows only NET_BIND_SERVICE",
		[util.input_resource, c.label, util.str(cap)],
	)
}

drops_all(container) if {
	some cap in container.securityContext.capabilities.drop
	cap == "ALL"
}

# Exemptions configured in params.exceptions (see policies/README.md).
exception contains rules if {
	rules := util.exempted("pod-security/")
	count(rules) > 0
}
