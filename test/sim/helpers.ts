/** A real Probot Octokit pointed at a simulator, without retries or throttling. */
import { ProbotOctokit } from "probot";

export function octokitFor(url: string, token = "test-token") {
  return new ProbotOctokit({
    auth: { token },
    baseUrl: url,
    retry: { enabled: false },
    throttle: { enabled: false },
    log: { debug() {}, info() {}, warn() {}, error() {} },
  } as ConstructorParameters<typeof ProbotOctokit>[0]);
}

/** The status of a request that must fail. */
export async function failure(p: Promise<unknown>): Promise<{ status: number; data: any }> {
  try {
    await p;
  } catch (e) {
    const err = e as { status: number; response?: { data: unknown } };
    return { status: err.status, data: err.response?.data };
  }
  throw new Error("expected the request to fail");
}
