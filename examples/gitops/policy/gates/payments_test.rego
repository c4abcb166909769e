package gates.payments_test

import data.gates.payments

pr(files, reviews) := {
	"environment": {"name": "production", "mode": "enforce", "source": "staging"},
	"pull_request": {
		"number": 7, "title": "payments 2.1", "body": "", "author": "bob", "author_association": "MEMBER",
		"draft": false, "labels": [], "base": {"ref": "main", "sha": "0000000"}, "head": {"ref": "p", "sha": "1111111"},
		"fork": false,
	},
	"reviews": reviews,
	"files": [{"path": p, "status": "modified", "previous_path": null, "additions": 1, "deletions": 1, "environment": "production"} | some p in files],
	"gates": {},
	"now_ns": 0,
}

approval(who, teams) := {
	"reviewer": who, "state": "APPROVED", "submitted_at": "2025-01-03T10:00:00Z",
	"commit_sha": "1111111", "on_current_head": true, "teams": teams,
}

test_other_paths_need_nothing if {
	count(payments.deny) == 0 with input as pr(["envs/production/api/deploy.yaml"], [])
}

test_payments_change_waits_for_the_team if {
	findings := payments.deny with input as pr(["envs/production/payments/deploy.yaml"], [approval("carol", ["acme/sre"])])
	{f.msg | some f in findings} == {"changes under envs/production/payments/ need an approval from @acme/payments"}
}

test_payments_member_approval_passes if {
	count(payments.deny) == 0 with input as pr(["envs/production/payments/deploy.yaml"], [approval("dora", ["acme/payments"])])
}

test_author_cannot_approve_own_change if {
	count(payments.deny) == 1 with input as pr(["envs/production/payments/deploy.yaml"], [approval("bob", ["acme/payments"])])
}

test_rename_out_of_payments_counts if {
	i := pr([], [])
	moved := object.union(i, {"files": [{
		"path": "envs/production/legacy/deploy.yaml", "status": "renamed",
		"previous_path": "envs/production/payments/deploy.yaml", "additions": 0, "deletions": 0, "environment": "production",
	}]})
	count(payments.deny) == 1 with input as moved
}

test_staging_payments_not_covered if {
	count(payments.deny) == 0 with input as pr(["envs/staging/payments/deploy.yaml"], [])
}
