import type { AccessFacts, Permission } from "../gate/access.js";
import type { Octokit, RepoId } from "./types.js";

const status = (err: unknown) => (err as { status?: number }).status;

/**
 * Repository permissions and team memberships: the one implementation every
 * authorization rule (commands, overrides, freezes, approvals, policy
 * approvers) asks through. Memoised for the life of the gateway (one delivery).
 */
export class AccessGateway implements AccessFacts {
  private readonly permissions = new Map<string, Promise<Permission>>();
  private readonly memberships = new Map<string, Promise<boolean>>();

  constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoId,
  ) {}

  permission(user: string): Promise<Permission> {
    const key = user.toLowerCase();
    let p = this.permissions.get(key);
    if (!p) {
      p = this.octokit.rest.repos.getCollaboratorPermissionLevel({ ...this.repo, username: user }).then(
        ({ data }) => (["admin", "write", "read"].includes(data.permission) ? (data.permission as Permission) : "none"),
        (err: unknown) => {
          if (status(err) === 404) return "none";
          throw err;
        },
      );
      this.permissions.set(key, p);
      p.catch(() => this.permissions.delete(key));
    }
    return p;
  }

  isTeamMember(org: string, slug: string, user: string): Promise<boolean> {
    const key = `${org}/${slug}/${user}`.toLowerCase();
    let p = this.memberships.get(key);
    if (!p) {
      p = this.octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: slug, username: user }).then(
        ({ data }) => data.state === "active",
        (err: unknown) => {
          if (status(err) === 404) return false;
          throw err;
        },
      );
      this.memberships.set(key, p);
      p.catch(() => this.memberships.delete(key));
    }
    return p;
  }
}
