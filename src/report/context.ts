/** What every report format may use besides the verdicts. */
export interface ReportContext {
  toolVersion: string;
  policyRevision?: string;
  /** rule id → where the rule is defined, for links/help */
  ruleSources?: Record<string, { file: string; line: number }>;
  /** Text format only: ANSI colours. Off by default. */
  color?: boolean;
  /**
   * SARIF only: absolute URI that rule source files are relative to, e.g.
   * `https://github.com/acme/gitops/blob/<sha>/`; gives rules a `helpUri`.
   */
  sourceBaseUri?: string;
}
