/** A located problem in a policy (compile error, unsupported builtin…). */
export interface PolicyProblem {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
}

/** Policies that cannot be used, with the problems found in them. */
export class PolicyError extends Error {
  constructor(
    message: string,
    readonly problems: PolicyProblem[] = [],
  ) {
    super(message);
  }
}
