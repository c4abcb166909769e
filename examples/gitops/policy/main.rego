# Our own rules, next to the built-in library (package main, conftest-style).
package main

# Every workload in production says which team owns it.
deny_owner_label contains {
	"id": "acme/owner-label",
	"msg": sprintf("%s/%s has no \"team\" label; add metadata.labels.team", [input.kind, input.metadata.name]),
	"path": ["metadata"],
} if {
	input.kind in {"Deployment", "StatefulSet", "DaemonSet", "CronJob"}
	data.stagegate.context.environment == "production"
	not input.metadata.labels.team
}

# Production runs at least two replicas.
deny_replicas contains {
	"id": "acme/min-replicas",
	"msg": sprintf("Deployment/%s runs %d replica(s) in production; set spec.replicas to 2 or more", [input.metadata.name, input.spec.replicas]),
	"path": ["spec", "replicas"],
} if {
	input.kind == "Deployment"
	data.stagegate.context.environment == "production"
	input.spec.replicas < 2
}

# Batch jobs owned by the data team may run a single replica.
exception contains rules if {
	input.metadata.labels.team == "data"
	rules := ["replicas"]
}
