package stagegate.gates.draft_test

import data.stagegate.gates.draft
import data.stagegate.gates.fixture_test as fx

test_ready_pr_passes if {
	count(draft.deny) == 0 with input as fx.base
}

test_draft_into_enforced_waits if {
	findings := draft.deny with input as fx.with_pr({"draft": true})
	findings == {{
		"id": "gate/draft",
		"gate": "draft",
		"state": "waiting",
		"msg": "draft pull requests cannot enter production; mark it ready for review",
	}}
}

test_draft_into_warn_environment_passes if {
	i := object.union(fx.with_pr({"draft": true}), {"environment": {"name": "staging", "mode": "warn", "source": null}})
	count(draft.deny) == 0 with input as i
}
