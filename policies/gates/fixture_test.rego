# A complete pull request input for the gate tests; each test overrides
# what it is about with object.union.
package stagegate.gates.fixture_test

# Fri 2025-01-03 12:00 UTC.
now_ns := 1735905600000000000

minute_ns := 60000000000

hour_ns := 3600000000000

head := "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

base := {
	"environment": {"name": "production", "mode": "enforce", "source": "staging"},
	"pull_request": {
		"number": 42,
		"title": "Promote api 1.4.0 to production",
		"body": "",
		"author": "bob",
		"author_association": "MEMBER",
		"draft": false,
		"labels": [],
		"base": {"ref": "production", "sha": "0000000000000000000000000000000000000000"},
		"head": {"ref": "promote/api-1.4.0", "sha": head},
		"fork": false,
	},
	"reviews": [],
	"commits": [],
	"commits_total": 0,
	"files": [{
		"path": "envs/production/api.yaml",
		"status": "modified",
		"previous_path": null,
		"additions": 1,
		"deletions": 1,
		"environment": "production",
	}],
	"promotion": {
		"source": "staging",
		"mode": "commits",
		"commits_not_in_source": [],
		"files_not_in_source": [],
		"verification": [],
		"in_source_since_ns": null,
	},
	"freeze": {"frozen": false, "active": []},
	"gates": {},
	"now_ns": now_ns,
}

# input_with(overrides) is the base input with top-level keys replaced.
input_with(overrides) := object.union(base, overrides)

# with_promotion(fields) replaces fields of input.promotion.
with_promotion(fields) := object.union(base, {"promotion": object.union(base.promotion, fields)})

# with_pr(fields) replaces fields of input.pull_request.
with_pr(fields) := object.union(base, {"pull_request": object.union(base.pull_request, fields)})

msgs(findings) := {f.msg | some f in findings}

states(findings) := {f.state | some f in findings}
