package main_test

import data.main

deployment(replicas, labels) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "web", "labels": labels},
	"spec": {"replicas": replicas},
}

prod := {"environment": "production", "file": "envs/production/web.yaml", "index": 0, "documents": []}

test_one_replica_denied_in_production if {
	some f in main.deny_replicas with input as deployment(1, {"team": "web"})
		with data.stagegate.context as prod
	f.path == ["spec", "replicas"]
}

test_two_replicas_allowed if {
	count(main.deny_replicas) == 0 with input as deployment(2, {"team": "web"})
		with data.stagegate.context as prod
}

test_staging_not_checked if {
	count(main.deny_replicas) == 0 with input as deployment(1, {})
		with data.stagegate.context as object.union(prod, {"environment": "staging"})
}

test_owner_label_required if {
	count(main.deny_owner_label) == 1 with input as deployment(2, {})
		with data.stagegate.context as prod
}

test_data_team_exempt_from_replicas if {
	main.exception == {["replicas"]} with input as deployment(1, {"team": "data"})
		with data.stagegate.context as prod
}
