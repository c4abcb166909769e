package stagegate.gates.labels_test

import data.stagegate.gates.fixture_test as fx
import data.stagegate.gates.labels

labelled(names) := object.union(
	fx.with_pr({"labels": names}),
	{"gates": {"labels": {"required": ["ready-for-prod"], "forbidden": ["do-not-merge"]}}},
)

test_not_configured_passes if {
	count(labels.deny) == 0 with input as fx.with_pr({"labels": ["do-not-merge"]})
}

test_required_present_passes if {
	count(labels.deny) == 0 with input as labelled(["ready-for-prod", "other"])
}

test_required_missing_waits if {
	findings := labels.deny with input as labelled([])
	findings == {{"id": "gate/labels", "gate": "labels", "state": "waiting", "msg": "needs label ready-for-prod"}}
}

test_forbidden_fails if {
	findings := labels.deny with input as labelled(["ready-for-prod", "Do-Not-Merge"])
	findings == {{"id": "gate/labels", "gate": "labels", "state": "failed", "msg": "label do-not-merge forbids merging into production"}}
}

test_labels_compare_case_insensitively if {
	count(labels.deny) == 0 with input as labelled(["Ready-For-Prod"])
}
