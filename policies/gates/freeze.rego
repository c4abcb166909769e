# Change freezes: always on. While a scheduled window is open or someone ran
# `/gate freeze`, every pull request into the environment fails, saying why,
# until when and who froze it (one finding per active freeze).
package stagegate.gates.freeze

import data.stagegate.gates.util

frozen if input.freeze.frozen == true

active := [a | some a in object.get(input, ["freeze", "active"], []); is_object(a)]

now := input.now_ns if is_number(input.now_ns)

else := time.now_ns()

deny contains util.finding("freeze", "failed", msg) if {
	frozen
	some a in active
	msg := concat("", [util.environment, " is frozen until ", until(a), by(a), why(a)])
}

# Frozen without details still fails, and says so.
deny contains util.finding("freeze", "failed", sprintf("%s is frozen", [util.environment])) if {
	frozen
	count(active) == 0
}

timezone(a) := a.timezone if {
	is_string(a.timezone)
	a.timezone != ""
} else := "UTC"

# An unknown time zone falls back to UTC rather than losing the finding.
until(a) := util.format_time(a.until_ns, timezone(a), now) if {
	is_number(a.until_ns)
} else := util.format_time(a.until_ns, "UTC", now) if {
	is_number(a.until_ns)
} else := "unfrozen"

by(a) := sprintf(" by %s", [util.login(a.by)]) if {
	a.kind == "manual"
	is_string(a.by)
	a.by != ""
} else := ""

why(a) := sprintf(" (%s window: %s)", [window(a), a.reason]) if {
	a.kind == "schedule"
	reason(a)
} else := sprintf(" (%s window)", [window(a)]) if {
	a.kind == "schedule"
} else := sprintf(": %s", [a.reason]) if {
	reason(a)
} else := ""

reason(a) if {
	is_string(a.reason)
	a.reason != ""
}

window(a) := a.window if {
	a.window in {"weekly", "cron"}
} else := "scheduled"
