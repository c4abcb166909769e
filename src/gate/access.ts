/**
 * Who may do what, as the pure core asks it: the two questions every
 * authorization rule (commands, overrides, freezes, approvals) puts to GitHub.
 * The github/ layer answers them (memoised); tests answer them with a plain object.
 */

export type Permission = "admin" | "write" | "read" | "none";

export interface AccessFacts {
  /** Repository permission; `maintain` reads as write, `triage` as read, none for non-collaborators. */
  permission(user: string): Promise<Permission>;
  /** Active membership of `org/slug` (pending invitations are not members). */
  isTeamMember(org: string, slug: string, user: string): Promise<boolean>;
}

/** A comment on an issue or pull request, as the core reads it. */
export interface IssueComment {
  id: number;
  body: string;
  author: string;
  authorType: string;
  /** The app the comment was made through; only that app can set it. */
  appId: number | null;
  createdAt: string;
  /** Edited after it was posted (by anyone: maintainers can edit the app's comments too). */
  edited?: boolean;
}
