/** Jest 30 running TypeScript ESM through ts-jest (Probot 14 is ESM-only). */
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // setup-http.ts: each suite starts with node:http/https unpatched (a suite's nock outlived it otherwise).
  setupFiles: ["<rootDir>/test/setup-env.ts", "<rootDir>/test/setup-http.ts"],
  moduleNameMapper: {
    "^(\\.{1,2}/.*)\\.js$": "$1",
  },
  transform: {
    "^.+\\.ts$": ["ts-jest", { useESM: true, tsconfig: "tsconfig.json" }],
  },
  testTimeout: 60000,
};
