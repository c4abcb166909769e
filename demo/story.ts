/**
 * The files of the demo's story, shared with the end-to-end test: the web
 * front end's release 1.5.0 goes to production, first with problems
 * (examples/gitops/envs/production/web.yaml as shipped), then fixed.
 */
import { exampleFiles } from "./harness.js";

export const WEB = "envs/production/web.yaml";
export const WORKER = "envs/staging/worker.yaml";

/** What production runs before the story: web 1.4.0, compliant. */
export const WEB_BEFORE = webDeployment("1.4.0");
/** The fixing push: 1.5.0 pinned, two replicas, owner label, restricted security context. */
export const WEB_FIXED = webDeployment("1.5.0");

/** The sample repository with production's web.yaml at its compliant 1.4.0. */
export function baseFiles(): Record<string, string> {
  return { ...exampleFiles(), [WEB]: WEB_BEFORE };
}

/** The change a developer first proposes: the sample's web.yaml, which breaks several rules. */
export function webViolating(): string {
  return exampleFiles()[WEB];
}

/** A staging-only change: the worker's busybox bumped (from a registry staging only warns about). */
export function workerBumped(): string {
  const worker = exampleFiles()[WORKER];
  const bumped = worker.replace(/busybox:[\w.-]+/, "busybox:1.37");
  if (bumped === worker) throw new Error(`${WORKER}: no busybox image to bump`);
  return bumped;
}

function webDeployment(version: string): string {
  return `# The web front end.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
    team: storefront
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: web
          image: ghcr.io/acme/web:${version}
          ports:
            - containerPort: 8080
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 256Mi
          readinessProbe:
            httpGet:
              path: /healthz
              port: 8080
          livenessProbe:
            httpGet:
              path: /healthz
              port: 8080
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop: [ALL]
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
`;
}
