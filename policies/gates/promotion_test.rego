package stagegate.gates.promotion_test

import data.stagegate.gates.fixture_test as fx
import data.stagegate.gates.promotion

test_commits_all_in_source_pass if {
	count(promotion.deny) == 0 with input as fx.base
}

test_one_commit_not_in_source if {
	findings := promotion.deny with input as fx.with_promotion({"commits_not_in_source": ["abc1234ffffffffffffffffffffffffffffffffff"]})
	findings == {{"id": "gate/promotion", "gate": "promotion", "state": "failed", "msg": "commit abc1234 is not in staging"}}
}

test_three_commits_listed if {
	findings := promotion.deny with input as fx.with_promotion({"commits_not_in_source": ["aaaaaaa111", "bbbbbbb222", "ccccccc333"]})
	fx.msgs(findings) == {"commits aaaaaaa, bbbbbbb and ccccccc are not in staging"}
}

test_more_than_five_commits_are_summarised if {
	shas := ["a000000x", "a111111x", "a222222x", "a333333x", "a444444x", "a555555x", "a666666x", "a777777x"]
	findings := promotion.deny with input as fx.with_promotion({"commits_not_in_source": shas})
	fx.msgs(findings) == {"commits a000000, a111111, a222222, a333333, a444444 and 3 more are not in staging"}
}

test_content_mode_squash_merge_equal_content_passes if {
	# A squash-merged promotion: the commits are new, but the content matches staging.
	i := fx.with_promotion({"mode": "content", "commits_not_in_source": ["fffffff999"], "files_not_in_source": []})
	count(promotion.deny) == 0 with input as i
}

test_content_mode_reports_each_file if {
	i := fx.with_promotion({"mode": "content", "files_not_in_source": [
		{"path": "envs/production/x.yaml", "source_path": "envs/staging/x.yaml", "reason": "different"},
		{"path": "envs/production/y.yaml", "source_path": "envs/staging/y.yaml", "reason": "missing"},
	]})
	findings := promotion.deny with input as i
	fx.msgs(findings) == {
		"envs/production/x.yaml differs from envs/staging/x.yaml in staging",
		"envs/production/y.yaml is missing from staging (no envs/staging/y.yaml there)",
	}
	fx.states(findings) == {"failed"}
}

test_content_mode_unknown_reason_still_fails if {
	i := fx.with_promotion({"mode": "content", "files_not_in_source": [{"path": "envs/production/z.yaml", "source_path": "envs/staging/z.yaml", "reason": "weird"}]})
	fx.msgs(promotion.deny) == {"envs/production/z.yaml has not been through staging"} with input as i
}

test_no_source_no_gate if {
	i := fx.input_with({"environment": {"name": "staging", "mode": "warn", "source": null}, "promotion": {
		"source": "dev", "mode": "commits", "commits_not_in_source": ["abc1234"],
		"files_not_in_source": [], "verification": [], "in_source_since_ns": null,
	}})
	count(promotion.deny) == 0 with input as i
}

test_missing_facts_fail_closed if {
	i := object.remove(fx.base, ["promotion"])
	fx.msgs(promotion.deny) == {"the promotion facts from staging were not gathered, so it cannot be checked that this change went through staging"} with input as i
}

test_unknown_mode_fails if {
	fx.msgs(promotion.deny) == {`unknown promotion mode "both" (expected commits or content)`} with input as fx.with_promotion({"mode": "both"})
}

test_missing_mode_fails if {
	# object.union merges deeply, so replace promotion as a whole.
	i := object.union(object.remove(fx.base, ["promotion"]), {"promotion": object.remove(fx.base.promotion, ["mode"])})
	fx.msgs(promotion.deny) == {"unknown promotion mode null (expected commits or content)"} with input as i
}
