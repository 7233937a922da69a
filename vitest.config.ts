import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: "1" },
  },
});
