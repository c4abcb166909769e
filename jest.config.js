/** Jest 30 running TypeScript ESM through ts-jest (Probot 14 is ESM-only). */
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Run on its own by `npm test` (a process of its own): in the shared worker, after other suites, its server's
  // work never reached GitHub — an interaction not yet found (see README "Development").
  testPathIgnorePatterns: ["/node_modules/", "/test/e2e/webhook-ack\\.test\\.ts$"],
  setupFiles: ["<rootDir>/test/setup-env.ts"],
  moduleNameMapper: {
    "^(\\.{1,2}/.*)\\.js$": "$1",
  },
  transform: {
    "^.+\\.ts$": ["ts-jest", { useESM: true, tsconfig: "tsconfig.json" }],
  },
  testTimeout: 60000,
};
