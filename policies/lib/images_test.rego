package stagegate.lib.images_test

import data.stagegate.lib.images as lib

deployment(images) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "web"},
	"spec": {"template": {"spec": {"containers": [{"name": sprintf("c%d", [i]), "image": image} | some i, image in images]}}},
}

pod_with_init(image) := {
	"apiVersion": "v1",
	"kind": "Pod",
	"metadata": {"name": "one"},
	"spec": {"initContainers": [{"name": "setup", "image": image}], "containers": [{"name": "app", "image": "nginx:1.27"}]},
}

cronjob(image) := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "nightly"},
	"spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "job", "image": image}]}}}}},
}

digest := "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

c(i) := ["spec", "template", "spec", "containers", i, "image"]

paths(findings) := {f.path | some f in findings}

ids(findings) := {f.id | some f in findings}

test_image_ref_parsing if {
	lib.image_ref("nginx") == {"repository": "nginx", "name": "nginx", "tag": "", "digest": ""}
	lib.image_ref("localhost:5000/app") == {"repository": "localhost:5000/app", "name": "localhost:5000/app", "tag": "", "digest": ""}
	lib.image_ref("localhost:5000/team/app:v2") == {"repository": "localhost:5000/team/app", "name": "localhost:5000/team/app:v2", "tag": "v2", "digest": ""}
	lib.image_ref(concat("@", ["ghcr.io/acme/app:1.0", digest])) == {"repository": "ghcr.io/acme/app", "name": "ghcr.io/acme/app:1.0", "tag": "1.0", "digest": digest}
	not lib.image_ref(42)
}

test_normalized if {
	lib.normalized("nginx") == "docker.io/library/nginx"
	lib.normalized("acme/app") == "docker.io/acme/app"
	lib.normalized("ghcr.io/acme/app") == "ghcr.io/acme/app"
	lib.normalized("localhost/app") == "localhost/app"
}

test_latest_tag if {
	findings := lib.deny_latest_tag with input as deployment(["nginx:1.27", "redis:latest"])
	paths(findings) == {c(1)}
	some f in findings
	f.id == "images/latest-tag"
	f.msg == "Deployment/web: container \"c1\" uses image redis:latest, whose content changes without a change in Git; pin a version tag such as redis:1.2.3 or a digest"
}

test_latest_tag_in_cronjob if {
	paths(lib.deny_latest_tag) == {["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "image"]} with input as cronjob("busybox:latest")
}

test_latest_with_digest_is_pinned if {
	count(lib.deny_latest_tag) == 0 with input as deployment([concat("@", ["nginx:latest", digest])])
	count(lib.deny_latest_tag) == 0 with input as deployment(["nginx:1.27", "latest/app:v1"])
}

test_untagged if {
	findings := lib.deny_untagged with input as pod_with_init("localhost:5000/tools")
	paths(findings) == {["spec", "initContainers", 0, "image"]}
	ids(findings) == {"images/untagged"}
	some f in findings
	contains(f.msg, "Pod/one: init container \"setup\" uses image localhost:5000/tools without a tag")
}

test_tagged_or_digest_is_not_untagged if {
	count(lib.deny_untagged) == 0 with input as deployment(["nginx:1.27", concat("@", ["nginx", digest])])
}

test_digest_not_required_by_default if {
	count(lib.deny_digest) == 0 with input as deployment(["nginx:1.27"])
}

test_digest_required if {
	d := deployment(["nginx:1.27", concat("@", ["nginx:1.27", digest]), "nginx@sha256:short"])
	findings := lib.deny_digest with input as d with data.stagegate.params as {"images": {"require_digest": true}}
	paths(findings) == {c(0), c(2)}
	ids(findings) == {"images/digest"}
}

test_registry_rule_absent_without_param if {
	count(lib.deny_registry) == 0 with input as deployment(["evil.example.com/miner:1"])
}

test_allowed_registries if {
	d := deployment(["ghcr.io/acme/app:1", "ghcr.io/acme-evil/app:1", "nginx:1.27", "registry.k8s.io/pause:3.9"])
	params := {"images": {"allowed_registries": ["ghcr.io/acme", "docker.io/library/", "registry.k8s.io"]}}
	findings := lib.deny_registry with input as d with data.stagegate.params as params
	paths(findings) == {c(1)}
	some f in findings
	f.id == "images/registry"
	contains(f.msg, "use an image from ghcr.io/acme, docker.io/library/, registry.k8s.io")
}

test_empty_allowed_registries_denies_all if {
	findings := lib.deny_registry with input as cronjob("ghcr.io/acme/app:1") with data.stagegate.params as {"images": {"allowed_registries": []}}
	count(findings) == 1
}
