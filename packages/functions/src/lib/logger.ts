import { Logger } from "@aws-lambda-powertools/logger";

/**
 * The one logger all handlers share. Log ids, never addresses; token values are redacted from any
 * URL before logging.
 */
export const logger = new Logger({ serviceName: "mission-mail" });
