package stagegate.gates.soak_test

import data.stagegate.gates.fixture_test as fx
import data.stagegate.gates.soak

soaking(soak_text, since) := object.union(
	fx.with_promotion({"in_source_since_ns": since}),
	{"gates": {"soak": soak_text}},
)

test_not_configured_passes if {
	count(soak.deny) == 0 with input as fx.with_promotion({"in_source_since_ns": fx.now_ns})
}

test_waiting_says_how_long_remains if {
	findings := soak.deny with input as soaking("1h", fx.now_ns - (20 * fx.minute_ns))
	findings == {{
		"id": "gate/soak",
		"gate": "soak",
		"state": "waiting",
		"msg": "the change has been in staging for 20m; 40m more soak time needed",
	}}
}

test_exactly_at_the_limit_passes if {
	count(soak.deny) == 0 with input as soaking("1h", fx.now_ns - fx.hour_ns)
}

test_one_nanosecond_short_waits if {
	findings := soak.deny with input as soaking("1h", (fx.now_ns - fx.hour_ns) + 1)
	fx.msgs(findings) == {"the change has been in staging for 59m; 1s more soak time needed"}
}

test_past_the_limit_passes if {
	count(soak.deny) == 0 with input as soaking("30m", fx.now_ns - fx.hour_ns)
}

test_days_and_hours if {
	findings := soak.deny with input as soaking("1d12h", fx.now_ns - ((10 * fx.hour_ns) + (30 * fx.minute_ns)))
	fx.msgs(findings) == {"the change has been in staging for 10h 30m; 25h 30m more soak time needed"}
}

test_remaining_rounds_up_to_the_minute if {
	# 2h soak, in staging for 30m 30s: 1h 29m 30s remain, shown as 1h 30m.
	findings := soak.deny with input as soaking("2h", fx.now_ns - ((30 * fx.minute_ns) + 30000000000))
	fx.msgs(findings) == {"the change has been in staging for 30m; 1h 30m more soak time needed"}
}

test_not_yet_in_source_waits if {
	fx.msgs(soak.deny) == {"the change is not live in staging yet; it must soak there for 1h"} with input as soaking("1h", null)
}

test_missing_promotion_facts_wait if {
	i := object.union(object.remove(fx.base, ["promotion"]), {"gates": {"soak": "1h"}})
	fx.states(soak.deny) == {"waiting"} with input as i
}

test_clock_skew_counts_as_zero if {
	fx.msgs(soak.deny) == {"the change has been in staging for 0s; 1h more soak time needed"} with input as soaking("1h", fx.now_ns + 1)
}

test_malformed_duration_fails if {
	findings := soak.deny with input as soaking("1 hour", fx.now_ns)
	fx.msgs(findings) == {`soak time "1 hour" is not a duration such as 30m, 1h or 1d`}
	fx.states(findings) == {"failed"}
}

test_without_source_fails if {
	i := object.union(soaking("1h", fx.now_ns), {"environment": {"name": "production", "mode": "enforce", "source": null}})
	fx.msgs(soak.deny) == {"soak time needs promote_from: there is no stage for the change to soak in"} with input as i
}
