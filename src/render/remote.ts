/**
 * Whether a kustomization reference points outside the repository over the network: a URL, a git
 * address, or kustomize's `host.tld/org/repo//path?ref=` shorthand.
 */
export function isRemote(ref: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) return true; // https://, ssh://, file://, oci://
  if (/^(git::|git@|gh:)/i.test(ref)) return true;
  if (/[?&](ref|version|timeout|submodules)=/.test(ref)) return true;
  // github.com/org/repo, gitlab.example.org/x: a first segment that looks like a host name.
  return /^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(:\d+)?\//i.test(ref);
}
