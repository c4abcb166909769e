package stagegate.gates.freeze_test

import data.stagegate.gates.fixture_test as fx
import data.stagegate.gates.freeze

# Mon 2025-01-06 08:00 UTC and 07:00 UTC (= 08:00 in Paris, winter time).
monday_8_utc := 1736150400000000000

monday_8_paris := 1736146800000000000

frozen(active) := fx.input_with({"freeze": {"frozen": true, "active": active}})

manual(until, by, reason) := {"kind": "manual", "reason": reason, "until_ns": until, "by": by, "url": null}

weekly(until, tz, reason) := {"kind": "schedule", "reason": reason, "until_ns": until, "by": null, "url": null, "timezone": tz, "window": "weekly"}

test_not_frozen_passes if {
	count(freeze.deny) == 0 with input as fx.base
}

test_manual_freeze_until if {
	findings := freeze.deny with input as frozen([manual(monday_8_utc, "alice", "incident 123")])
	findings == {{
		"id": "gate/freeze",
		"gate": "freeze",
		"state": "failed",
		"msg": "production is frozen until Mon 08:00 UTC by @alice: incident 123",
	}}
}

test_manual_freeze_without_end if {
	fx.msgs(freeze.deny) == {"production is frozen until unfrozen by @alice: incident 123"} with input as frozen([manual(null, "alice", "incident 123")])
}

test_manual_freeze_without_reason if {
	fx.msgs(freeze.deny) == {"production is frozen until unfrozen by @alice"} with input as frozen([manual(null, "alice", "")])
}

test_weekly_window_in_its_time_zone if {
	findings := freeze.deny with input as frozen([weekly(monday_8_paris, "Europe/Paris", "release freeze")])
	fx.msgs(findings) == {"production is frozen until Mon 08:00 Europe/Paris (weekly window: release freeze)"}
}

test_window_across_daylight_saving_change if {
	# Europe/Paris moves to summer time on Sun 2025-03-30: a window closing
	# Mon 2025-03-31 08:00 local is 06:00 UTC, not 07:00.
	i := object.union(
		frozen([weekly(1743400800000000000, "Europe/Paris", "")]),
		{"now_ns": 1743163200000000000},
	)
	fx.msgs(freeze.deny) == {"production is frozen until Mon 08:00 Europe/Paris (weekly window)"} with input as i
}

test_same_moment_in_another_zone if {
	i := frozen([weekly(monday_8_paris, "America/New_York", "")])
	fx.msgs(freeze.deny) == {"production is frozen until Mon 02:00 America/New_York (weekly window)"} with input as i
}

test_far_end_shows_the_date if {
	# Mon 2025-01-20, more than six days after now.
	i := frozen([manual(1737360000000000000, "alice", "migration")])
	fx.msgs(freeze.deny) == {"production is frozen until Mon 2025-01-20 08:00 UTC by @alice: migration"} with input as i
}

test_unknown_time_zone_falls_back_to_utc if {
	i := frozen([weekly(monday_8_utc, "Mars/Olympus", "")])
	fx.msgs(freeze.deny) == {"production is frozen until Mon 08:00 UTC (weekly window)"} with input as i
}

test_one_finding_per_active_freeze if {
	i := frozen([
		weekly(monday_8_utc, "UTC", "release freeze"),
		manual(null, "alice", "incident 123"),
	])
	findings := freeze.deny with input as i
	count(findings) == 2
	fx.states(findings) == {"failed"}
}

test_frozen_without_details_still_fails if {
	fx.msgs(freeze.deny) == {"production is frozen"} with input as frozen([])
}

test_cron_window if {
	w := object.union(weekly(monday_8_utc, "UTC", "year end"), {"window": "cron"})
	fx.msgs(freeze.deny) == {"production is frozen until Mon 08:00 UTC (cron window: year end)"} with input as frozen([w])
}
