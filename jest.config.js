// Three projects so the test command can run them in order and report each.
// Transpile-only: each engineer's tests run even while another file is mid-edit; `npm run typecheck` checks types.
const tsJest = ["ts-jest", { tsconfig: "<rootDir>/tsconfig.jest.json", diagnostics: false }];
// sdk/native is generated as a package of the same name (its package.json ships beside the root's): not a module of its own for jest.
const base = { testEnvironment: "node", transform: { "^.+\\.ts$": tsJest }, moduleFileExtensions: ["ts", "js", "json"], modulePathIgnorePatterns: ["<rootDir>/sdk/native/package.json", "<rootDir>/dist/sdk/native/package.json"] };
module.exports = {
  projects: [
    { ...base, displayName: "unit", testMatch: ["<rootDir>/test/unit/**/*.test.ts"] },
    { ...base, displayName: "integration", testMatch: ["<rootDir>/test/integration/**/*.test.ts"] },
    { ...base, displayName: "e2e", testMatch: ["<rootDir>/test/e2e/**/*.test.ts"] },
  ],
};
