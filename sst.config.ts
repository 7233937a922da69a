import type { SSTConfig } from "sst";
import { Api } from "./stacks/api";
import { Auth } from "./stacks/auth";
import { Events } from "./stacks/events";
import { retainLogsOfEveryFunction } from "./stacks/log-retention";
import { Mail } from "./stacks/mail";
import { Monitoring } from "./stacks/monitoring";
import { applyNagSuppressions } from "./stacks/nag";
import { Pipeline } from "./stacks/pipeline";
import { DEFAULT_MEMORY_MB } from "./stacks/sizes";
import { isProdStage } from "./stacks/stage";
import { Storage } from "./stacks/storage";

export default {
  config(input) {
    return {
      name: "mission-mail",
      region: input.region || process.env.AWS_REGION || "eu-north-1",
    };
  },
  stacks(app) {
    // Ephemeral stages clean up after themselves. Production keeps CloudFormation's defaults, and
    // Storage additionally retains and delete-protects its stateful resources there.
    if (!isProdStage(app.stage)) app.setDefaultRemovalPolicy("destroy");

    app.setDefaultFunctionProps({
      runtime: "nodejs22.x",
      architecture: "arm_64",
      memorySize: `${DEFAULT_MEMORY_MB} MB`,
      timeout: "10 seconds",
      logRetention: "one_month",
      environment: { MODE: "aws" },
      // Minified ESM, as scripts/bundle-sizes.ts measures it; SST keeps function names (keepNames) for stack traces.
      nodejs: { format: "esm", minify: true },
    });

    app.stack(Storage).stack(Auth).stack(Mail).stack(Events).stack(Api).stack(Pipeline).stack(Monitoring);

    // After every stack: functions the app does not declare get log retention too, and cdk-nag's
    // suppressions (each with its reason) apply to a deploy exactly as to the tests and `npm run synth`.
    retainLogsOfEveryFunction(app);
    applyNagSuppressions(app);
  },
} satisfies SSTConfig;
