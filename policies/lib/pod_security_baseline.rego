# Pod Security Standards, baseline profile: blocks the known privilege
# escalations of a pod (privileged containers, host namespaces, hostPath,
# host ports, extra capabilities, unsafe sysctls, relaxed AppArmor, SELinux,
# seccomp and /proc masking). Applies to every workload kind with a pod spec.
package stagegate.lib.pod_security_baseline

import data.stagegate.lib.util

# Capabilities the baseline profile allows a container to add.
allowed_capabilities := {
	"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
	"NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
}

# Namespaced sysctls the baseline profile considers safe.
safe_sysctls := {
	"kernel.shm_rmid_forced",
	"net.ipv4.ip_local_port_range",
	"net.ipv4.ip_local_reserved_ports",
	"net.ipv4.ip_unprivileged_port_start",
	"net.ipv4.ping_group_range",
	"net.ipv4.tcp_syncookies",
	"net.ipv4.tcp_keepalive_time",
	"net.ipv4.tcp_fin_timeout",
	"net.ipv4.tcp_keepalive_intvl",
	"net.ipv4.tcp_keepalive_probes",
	"net.ipv4.tcp_rmem",
	"net.ipv4.tcp_wmem",
}

host_namespace_fields := {
	"hostNetwork": "network",
	"hostPID": "process ID",
	"hostIPC": "IPC",
}

allowed_selinux_types := {"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"}

deny_privileged contains util.finding("pod-security/privileged", msg, path) if {
	some c in util.input_containers
	c.container.securityContext.privileged == true
	path := array.concat(c.path, ["securityContext", "privileged"])
	msg := sprintf(
		"%s: %s runs privileged, with full access to the node; set securityContext.privileged to false or remove it",
		[util.input_resource, c.label],
	)
}

deny_host_namespaces contains util.finding("pod-security/host-namespaces", msg, path) if {
	some ps in util.input_pod_specs
	some field, what in host_namespace_fields
	ps.spec[field] == true
	path := array.concat(ps.path, [field])
	msg := sprintf(
		"%s: pod sets %s: true and shares the node's %s namespace; remove %s or set it to false",
		[util.input_resource, field, what, field],
	)
}

deny_host_path contains util.finding("pod-security/host-path", msg, path) if {
	some ps in util.input_pod_specs
	some i, volume in ps.spec.volumes
	volume.hostPath
	path := array.concat(ps.path, ["volumes", i, "hostPath"])
	msg := sprintf(
		"%s: volume \"%s\" mounts the node's directory %s (hostPath); use a persistentVolumeClaim, configMap, secret or emptyDir volume instead",
		[util.input_resource, util.str(object.get(volume, "name", i)), util.str(object.get(volume.hostPath, "path", ""))],
	)
}

# Host ports listed in params.pod_security.allowed_host_ports are accepted.
deny_host_ports contains util.finding("pod-security/host-ports", msg, path) if {
	some c in util.input_containers
	some j, port in c.container.ports
	host_port := port.hostPort
	host_port != 0
	not host_port_allowed(host_port)
	path := array.concat(c.path, ["ports", j, "hostPort"])
	msg := sprintf(
		"%s: %s binds host port %s on the node; remove hostPort and expose the port with a Service",
		[util.input_resource, c.label, util.str(host_port)],
	)
}

host_port_allowed(p) if {
	some allowed in util.param(["pod_security", "allowed_host_ports"], [])
	allowed == p
}

deny_capabilities contains util.finding("pod-security/capabilities", msg, path) if {
	some c in util.input_containers
	some k, cap in c.container.securityContext.capabilities.add
	not allowed_capabilities[cap]
	path := array.concat(c.path, ["securityContext", "capabilities", "add", k])
	msg := sprintf(
		"%s: %s adds capability %s, which the baseline Pod Security Standard forbids; remove it from securityContext.capabilities.add",
		[util.input_resource, c.label, util.str(cap)],
	)
}

deny_host_process contains util.finding("pod-security/host-process", msg, path) if {
	some entry in util.input_security_contexts
	entry.sc.windowsOptions.hostProcess == true
	path := array.concat(entry.path, ["windowsOptions", "hostProcess"])
	msg := sprintf(
		"%s: %s runs as a Windows HostProcess with access to the node; remove securityContext.windowsOptions.hostProcess",
		[util.input_resource, entry.label],
	)
}

deny_proc_mount contains util.finding("pod-security/proc-mount", msg, path) if {
	some c in util.input_containers
	mount := c.container.securityContext.procMount
	mount != "Default"
	path := array.concat(c.path, ["securityContext", "procMount"])
	msg := sprintf(
		"%s: %s sets procMount to %s, unmasking /proc; remove securityContext.procMount or set it to Default",
		[util.input_resource, c.label, util.str(mount)],
	)
}

deny_seccomp contains util.finding("pod-security/seccomp", msg, path) if {
	some entry in util.input_security_contexts
	entry.sc.seccompProfile.type == "Unconfined"
	path := array.concat(entry.path, ["seccompProfile", "type"])
	msg := sprintf(
		"%s: %s disables seccomp (seccompProfile.type: Unconfined); use RuntimeDefault or a Localhost profile",
		[util.input_resource, entry.label],
	)
}

deny_sysctls contains util.finding("pod-security/sysctls", msg, path) if {
	some ps in util.input_pod_specs
	some i, sysctl in ps.spec.securityContext.sysctls
	name := object.get(sysctl, "name", "")
	not safe_sysctls[name]
	path := array.concat(ps.path, ["securityContext", "sysctls", i])
	msg := sprintf(
		"%s: pod sets sysctl %s, which is not in the baseline safe set; remove it from securityContext.sysctls",
		[util.input_resource, util.str(name)],
	)
}

# AppArmor through the securityContext field (Kubernetes 1.30+).
deny_apparmor contains util.finding("pod-security/apparmor", msg, path) if {
	some entry in util.input_security_contexts
	kind := entry.sc.appArmorProfile.type
	not kind in {"RuntimeDefault", "Localhost"}
	path := array.concat(entry.path, ["appArmorProfile", "type"])
	msg := sprintf(
		"%s: %s sets appArmorProfile.type to %s; use RuntimeDefault or Localhost",
		[util.input_resource, entry.label, util.str(kind)],
	)
}

# AppArmor through the older per-container annotation.
deny_apparmor contains util.finding("pod-security/apparmor", msg, path) if {
	some ps in util.input_pod_specs
	meta := util.pod_meta_path(ps)
	some key, value in object.get(input, array.concat(meta, ["annotations"]), {})
	startswith(key, "container.apparmor.security.beta.kubernetes.io/")
	not apparmor_annotation_ok(value)
	path := array.concat(meta, ["annotations", key])
	msg := sprintf(
		"%s: annotation %s sets AppArmor profile %s; use runtime/default or localhost/<profile>",
		[util.input_resource, key, util.str(value)],
	)
}

apparmor_annotation_ok("runtime/default")

apparmor_annotation_ok(value) if startswith(value, "localhost/")

deny_selinux contains util.finding("pod-security/selinux", msg, path) if {
	some entry in util.input_security_contexts
	selinux_type := entry.sc.seLinuxOptions.type
	not allowed_selinux_types[selinux_type]
	path := array.concat(entry.path, ["seLinuxOptions", "type"])
	msg := sprintf(
		"%s: %s sets SELinux type %s; use container_t, container_init_t, container_kvm_t or container_engine_t, or remove it",
		[util.input_resource, entry.label, util.str(selinux_type)],
	)
}

deny_selinux contains util.finding("pod-security/selinux", msg, path) if {
	some entry in util.input_security_contexts
	some field in ["user", "role"]
	value := entry.sc.seLinuxOptions[field]
	value != ""
	path := array.concat(entry.path, ["seLinuxOptions", field])
	msg := sprintf(
		"%s: %s sets a custom SELinux %s; remove securityContext.seLinuxOptions.%s",
		[util.input_resource, entry.label, field, field],
	)
}

# Exemptions configured in params.exceptions (see policies/README.md).
exception contains rules if {
	rules := util.exempted("pod-security/")
	count(rules) > 0
}
