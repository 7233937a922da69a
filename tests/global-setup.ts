import type { TestProject } from "vitest/node";
import { startDynamoDbLocal } from "../packages/local/src/dynamodb-local";
import { freePort } from "../packages/local/src/ports";

declare module "vitest" {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

/**
 * One real DynamoDB Local server (in memory, on a free port) for the whole run. Each integration test
 * file creates its own table on it and starts its own SES emulator and HTTP API.
 */
export default async function setup(project: TestProject) {
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  project.provide("dynamodbEndpoint", dynamo.endpoint);
  return () => dynamo.stop();
}
