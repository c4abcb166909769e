# Helpers shared by the built-in stage gates: the finding object, message
# formatting (short SHAs, lists, durations, times) and duration parsing.
# Pure, and limited to builtins the opa-wasm SDK implements plus Stagegate's
# custom time.* builtins.
package stagegate.gates.util

# finding builds the object every gate yields; state is "failed" or "waiting".
finding(gate, state, msg) := {"id": concat("/", ["gate", gate]), "gate": gate, "state": state, "msg": msg}

# environment is the name of the environment the pull request enters.
default environment := "this environment"

environment := input.environment.name if is_string(input.environment.name)

# source is the stage the environment promotes from; undefined without one.
source := input.environment.source if {
	is_string(input.environment.source)
	input.environment.source != ""
}

# gate_config(name) is the environment's config of one gate; undefined when not configured.
gate_config(name) := input.gates[name] if is_object(input.gates)

# short(sha) is the 7-character form GitHub shows.
short(sha) := substring(sha, 0, 7) if is_string(sha)

else := "<unknown commit>"

# login(name) renders a GitHub login or team as a mention: "@alice", "@org/sre".
login(name) := concat("", ["@", trim_prefix(name, "@")])

# normal(name) compares logins and teams: GitHub treats them case-insensitively.
normal(name) := lower(trim_prefix(name, "@"))

# join_or(["a", "b", "c"]) is "a, b or c".
join_or(items) := items[0] if count(items) == 1

join_or(items) := concat(" or ", [concat(", ", array.slice(items, 0, count(items) - 1)), items[count(items) - 1]]) if {
	count(items) > 1
}

# join_and(["a", "b", "c"]) is "a, b and c".
join_and(items) := items[0] if count(items) == 1

join_and(items) := concat(" and ", [concat(", ", array.slice(items, 0, count(items) - 1)), items[count(items) - 1]]) if {
	count(items) > 1
}

# --- durations ---------------------------------------------------------------

second_ns := 1000000000

day_ns := 86400000000000

duration_pattern := `^(?:[0-9]+d)?(?:[0-9]+h)?(?:[0-9]+m)?(?:[0-9]+s)?$`

# duration_ns(text) parses a config duration ("1h", "2h30m", "1d12h") into
# nanoseconds; undefined when malformed. time.parse_duration_ns has no days,
# so a leading "<n>d" is split off first.
duration_ns(text) := days_ns(text) + rest_ns(text) if {
	is_string(text)
	text != ""
	regex.match(duration_pattern, text)
}

days_ns(text) := to_number(split(text, "d")[0]) * day_ns if contains(text, "d")

days_ns(text) := 0 if not contains(text, "d")

rest(text) := split(text, "d")[1] if contains(text, "d")

else := text

rest_ns(text) := 0 if rest(text) == ""

rest_ns(text) := time.parse_duration_ns(rest(text)) if rest(text) != ""

# format_duration(s) renders whole seconds simply: "1h 20m", "2h", "40m", "45s".
format_duration(s) := sprintf("%dh %dm", [floor(s / 3600), floor((s % 3600) / 60)]) if {
	s >= 3600
	floor((s % 3600) / 60) > 0
}

format_duration(s) := sprintf("%dh", [floor(s / 3600)]) if {
	s >= 3600
	floor((s % 3600) / 60) == 0
}

format_duration(s) := sprintf("%dm", [floor(s / 60)]) if {
	s >= 60
	s < 3600
}

format_duration(s) := sprintf("%ds", [s]) if s < 60

# elapsed_text(ns) rounds down (time spent), remaining_text(ns) rounds up
# to the unit shown (time still needed), so neither overstates progress.
elapsed_text(ns) := format_duration(max([0, floor(ns / second_ns)]))

remaining_text(ns) := format_duration(round_up(ceil(ns / second_ns)))

round_up(s) := s if s < 60

round_up(s) := ceil(s / 60) * 60 if {
	s >= 60
	s < 3600
}

# Hours and minutes are shown, so round up to the minute.
round_up(s) := ceil(s / 60) * 60 if s >= 3600

# --- times -------------------------------------------------------------------

# format_time(ns, tz, now_ns) renders a moment for messages: "Mon 08:00 UTC"
# within the coming week, "Mon 2025-01-06 08:00 UTC" further away.
format_time(ns, tz, now_ns) := concat(" ", [weekday(ns, tz), clock(ns, tz), tz]) if {
	ns - now_ns < 6 * day_ns
}

format_time(ns, tz, now_ns) := concat(" ", [weekday(ns, tz), date(ns, tz), clock(ns, tz), tz]) if {
	ns - now_ns >= 6 * day_ns
}

weekday(ns, tz) := substring(time.weekday([ns, tz]), 0, 3)

clock(ns, tz) := concat(":", [pad2(c[0]), pad2(c[1])]) if c := time.clock([ns, tz])

date(ns, tz) := concat("-", [format_int(d[0], 10), pad2(d[1]), pad2(d[2])]) if d := time.date([ns, tz])

pad2(n) := concat("", ["0", format_int(n, 10)]) if n < 10

else := format_int(n, 10)
