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

/** An installation token of app `appId` at a simulator, minted the way Probot does: a JWT claiming `iss`. */
export async function installationOctokit(url: string, appId: number) {
  const claims = Buffer.from(JSON.stringify({ iss: appId })).toString("base64url");
  const jwt = `eyJhbGciOiJSUzI1NiJ9.${claims}.sig`;
  const { data } = await octokitFor(url, jwt).request("POST /app/installations/{installation_id}/access_tokens", {
    installation_id: 1,
  });
  return octokitFor(url, data.token);
}
