# Health probes on long-running workloads (Deployment, StatefulSet, DaemonSet,
# ReplicaSet, ReplicationController, Argo Rollout): without a readiness probe a
# rollout sends traffic to pods that are not ready; without a liveness probe a
# hung process is never restarted. Warnings only; Jobs, CronJobs, bare Pods,
# init and ephemeral containers are not checked.
package stagegate.lib.probes

import data.stagegate.lib.util

warn_readiness contains util.finding("probes/readiness", msg, c.path) if {
	some c in app_containers
	not util.present(c.container, ["readinessProbe"])
	msg := sprintf(
		"%s: %s has no readinessProbe, so it receives traffic before it is ready; add a readinessProbe (httpGet, tcpSocket, grpc or exec)",
		[util.input_resource, c.label],
	)
}

warn_liveness contains util.finding("probes/liveness", msg, c.path) if {
	some c in app_containers
	not util.present(c.container, ["livenessProbe"])
	msg := sprintf(
		"%s: %s has no livenessProbe, so a hung process is never restarted; add a livenessProbe (httpGet, tcpSocket, grpc or exec)",
		[util.input_resource, c.label],
	)
}

app_containers contains c if {
	util.is_long_running(input)
	some c in util.input_containers
	c.field == "containers"
}
