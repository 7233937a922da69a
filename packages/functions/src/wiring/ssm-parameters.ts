import { GetParametersCommand, SSMClient } from "@aws-sdk/client-ssm";

/**
 * SSM's GetParameters, the one call the secrets loader (secrets.ts) makes. It is imported on demand
 * from here rather than from the client package, so that the bundle keeps only this command: a
 * dynamic import of "@aws-sdk/client-ssm" itself would keep every one of SSM's commands.
 */
export function ssmParameters(region: string | undefined): (names: string[]) => Promise<{ Name?: string | undefined; Value?: string | undefined }[]> {
  const ssm = new SSMClient({ region });
  return async (names) => (await ssm.send(new GetParametersCommand({ Names: names, WithDecryption: true }))).Parameters ?? [];
}
