# Draft pull requests: always on. A draft is work in progress, so it cannot
# enter an environment whose mode is enforce until it is marked ready.
package stagegate.gates.draft

import data.stagegate.gates.util

deny contains util.finding("draft", "waiting", msg) if {
	input.pull_request.draft == true
	input.environment.mode == "enforce"
	msg := sprintf("draft pull requests cannot enter %s; mark it ready for review", [util.environment])
}
