# Soak time: the promoted change must have been live in the source stage for
# at least `soak` (for example "1h") before it may enter this environment.
# Passes exactly at the limit: in_source_since_ns + soak <= now_ns.
package stagegate.gates.soak

import data.stagegate.gates.util

soak := util.gate_config("soak")

soak_ns := util.duration_ns(soak)

since := input.promotion.in_source_since_ns if is_number(input.promotion.in_source_since_ns)

now := input.now_ns if is_number(input.now_ns)

else := time.now_ns()

deny contains util.finding("soak", "failed", msg) if {
	soak
	not soak_ns
	msg := sprintf("soak time %s is not a duration such as 30m, 1h or 1d", [json.marshal(soak)])
}

deny contains util.finding("soak", "failed", "soak time needs promote_from: there is no stage for the change to soak in") if {
	soak
	not util.source
}

deny contains util.finding("soak", "waiting", msg) if {
	soak_ns
	util.source
	not since
	msg := sprintf("the change is not live in %s yet; it must soak there for %s", [util.source, util.remaining_text(soak_ns)])
}

deny contains util.finding("soak", "waiting", msg) if {
	soak_ns
	util.source
	since + soak_ns > now

	# A source clock ahead of ours counts as no time spent.
	elapsed := max([0, now - since])
	msg := sprintf("the change has been in %s for %s; %s more soak time needed", [
		util.source,
		util.elapsed_text(elapsed),
		util.remaining_text(soak_ns - elapsed),
	])
}
