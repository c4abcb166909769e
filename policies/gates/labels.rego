# Labels: the pull request must have every required label and none of the
# forbidden ones. GitHub label names are case-insensitive.
package stagegate.gates.labels

import data.stagegate.gates.util

config := util.gate_config("labels")

present := {lower(l) | some l in object.get(input, ["pull_request", "labels"], []); is_string(l)}

# A missing label needs someone to add it: waiting.
deny contains util.finding("labels", "waiting", sprintf("needs label %s", [label])) if {
	some label in object.get(config, "required", [])
	is_string(label)
	not present[lower(label)]
}

# A forbidden label is a deliberate stop: failed.
deny contains util.finding("labels", "failed", msg) if {
	some label in object.get(config, "forbidden", [])
	is_string(label)
	present[lower(label)]
	msg := sprintf("label %s forbids merging into %s", [label, util.environment])
}
