# Image hygiene: every container (incl. init and ephemeral) runs an image that
# is pinned (no :latest, no missing tag; a digest when required) and comes from
# an allowed registry when the platform team lists them.
#
# Parameters (data.stagegate.params.images):
#   require_digest      bool, default false: images must be pinned by @sha256:<digest>
#   allowed_registries  list of prefixes, e.g. ["ghcr.io/acme/", "registry.k8s.io"];
#                       absent: no registry rule
package stagegate.lib.images

import data.stagegate.lib.util

deny_latest_tag contains util.finding("images/latest-tag", msg, path) if {
	some c in util.input_containers
	ref := image_ref(c.container.image)
	ref.tag == "latest"
	ref.digest == ""
	path := array.concat(c.path, ["image"])
	msg := sprintf(
		"%s: %s uses image %s, whose content changes without a change in Git; pin a version tag such as %s:1.2.3 or a digest",
		[util.input_resource, c.label, c.container.image, ref.repository],
	)
}

deny_untagged contains util.finding("images/untagged", msg, path) if {
	some c in util.input_containers
	ref := image_ref(c.container.image)
	ref.tag == ""
	ref.digest == ""
	path := array.concat(c.path, ["image"])
	msg := sprintf(
		"%s: %s uses image %s without a tag, which means :latest; pin a version tag such as %s:1.2.3 or a digest",
		[util.input_resource, c.label, c.container.image, ref.repository],
	)
}

deny_digest contains util.finding("images/digest", msg, path) if {
	util.param(["images", "require_digest"], false) == true
	some c in util.input_containers
	ref := image_ref(c.container.image)
	not regex.match(`^sha256:[a-f0-9]{64}$`, ref.digest)
	path := array.concat(c.path, ["image"])
	msg := sprintf(
		"%s: %s uses image %s, which is not pinned by digest; append @sha256:<digest> (e.g. %s@sha256:…)",
		[util.input_resource, c.label, c.container.image, ref.name],
	)
}

deny_registry contains util.finding("images/registry", msg, path) if {
	allowed := util.param(["images", "allowed_registries"], null)
	is_array(allowed)
	some c in util.input_containers
	ref := image_ref(c.container.image)
	not registry_allowed(ref.repository, allowed)
	path := array.concat(c.path, ["image"])
	msg := sprintf(
		"%s: %s uses image %s from a registry that is not allowed; use an image from %s",
		[util.input_resource, c.label, c.container.image, concat(", ", [util.str(p) | some p in allowed])],
	)
}

# image_ref(image) splits an image reference into
#   repository  the name without tag or digest, as written ("nginx", "ghcr.io/acme/app")
#   name        the name with its tag, without digest
#   tag         "" when there is none
#   digest      "" when there is none, else e.g. "sha256:…"
# A colon only starts a tag in the last path segment ("localhost:5000/app" has no tag).
image_ref(image) := {"repository": repository, "name": at[0], "tag": tag, "digest": digest} if {
	is_string(image)
	at := split(image, "@")
	digest := concat("@", array.slice(at, 1, count(at)))
	segments := split(at[0], "/")
	colon := split(segments[count(segments) - 1], ":")
	tag := concat(":", array.slice(colon, 1, count(colon)))
	repository := concat("/", array.concat(array.slice(segments, 0, count(segments) - 1), [colon[0]]))
}

# normalized(repository) is the fully qualified name Docker would pull:
# nginx → docker.io/library/nginx, acme/app → docker.io/acme/app.
normalized(repository) := repository if {
	segments := split(repository, "/")
	count(segments) > 1
	registry_host(segments[0])
} else := concat("/", ["docker.io/library", repository]) if {
	not contains(repository, "/")
} else := concat("/", ["docker.io", repository])

registry_host(s) if contains(s, ".")

registry_host(s) if contains(s, ":")

registry_host("localhost")

# A prefix matches whole path segments: "ghcr.io/acme" allows
# ghcr.io/acme/app but not ghcr.io/acme-evil/app.
registry_allowed(repository, allowed) if {
	some prefix in allowed
	is_string(prefix)
	p := concat("", [trim_right(prefix, "/"), "/"])
	some candidate in {repository, normalized(repository)}
	startswith(concat("", [candidate, "/"]), p)
}

# Exemptions configured in params.exceptions (see policies/README.md).
exception contains rules if {
	rules := util.exempted("images/")
	count(rules) > 0
}
