import { Duration } from "aws-cdk-lib/core";
import * as events from "aws-cdk-lib/aws-events";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import * as ses from "aws-cdk-lib/aws-ses";
import * as sesActions from "aws-cdk-lib/aws-ses-actions";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Function, type App, type Stack, type StackContext, type Table } from "sst/constructs";
import type { SSTConstruct } from "sst/constructs/Construct.js";
import { handlerPath } from "../packages/functions/src/routes";
import { sendTo, tableAccess } from "./access";
import { FUNCTION_BUNDLING, OPTIONAL_HANDLERS } from "./handlers";

/**
 * What SES reports for every send, to every configuration set. Not Send events: one per recipient,
 * they change nothing the product keeps, and each would invoke the feedback function.
 */
const DELIVERY_EVENTS = [
  ses.EmailSendingEvent.DELIVERY,
  ses.EmailSendingEvent.BOUNCE,
  ses.EmailSendingEvent.COMPLAINT,
  ses.EmailSendingEvent.REJECT,
  ses.EmailSendingEvent.RENDERING_FAILURE,
  ses.EmailSendingEvent.DELIVERY_DELAY,
];

/** The default of ALERT_MAX_DELIVERY_SECONDS: 6 hours. */
const ALERT_MAX_DELIVERY_SECONDS = 21_600;

/**
 * SES v2 sending: the domain identity (Easy DKIM, custom MAIL FROM) and four configuration sets.
 * Tracking is per configuration set, so the default set tracks nothing, and the tracking set (open
 * and click) is only used for subscribers who opted in. Immediate alerts have their own pair, the
 * same but with a maximum delivery time (MaxDeliverySeconds), after which SES stops retrying an alert
 * it could not deliver rather than deliver stale news. Both publish their events to the account's
 * default EventBridge bus, the only bus SES can target; the feedback rule lives there.
 */
export function Mail({ app, stack }: StackContext) {
  const domain = process.env.MAIL_DOMAIN || "missions.example.org";
  const fromAddress = process.env.MAIL_FROM || `Missions <news@${domain}>`;
  const defaultBus = events.EventBus.fromEventBusName(stack, "DefaultBus", "default");

  // Immediate alerts are news only for a while: SES gives up on what it cannot deliver within this time.
  const alertMaxDeliverySeconds = Number(process.env.ALERT_MAX_DELIVERY_SECONDS || ALERT_MAX_DELIVERY_SECONDS);

  /** One configuration set publishing its events to the default bus; `tracking` adds opens and clicks. */
  const configurationSetOf = (id: string, name: string, tracking: boolean, maxDeliverySeconds?: number) => {
    const set = new ses.ConfigurationSet(stack, id, {
      configurationSetName: name,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      // Account-level VDM engagement tracking would otherwise add open and click tracking to an untracked set.
      ...(tracking ? {} : { vdmOptions: { engagementMetrics: false } }),
      ...(maxDeliverySeconds ? { maxDeliveryDuration: Duration.seconds(maxDeliverySeconds) } : {}),
    });
    set.addEventDestination("Events", {
      destination: ses.EventDestination.eventBus(defaultBus),
      events: tracking ? [...DELIVERY_EVENTS, ses.EmailSendingEvent.OPEN, ses.EmailSendingEvent.CLICK] : DELIVERY_EVENTS,
    });
    return set;
  };

  const configurationSet = configurationSetOf("ConfigurationSet", `mission-mail-${app.stage}`, false);
  const trackingConfigurationSet = configurationSetOf("TrackingConfigurationSet", `mission-mail-${app.stage}-tracking`, true);
  const alertConfigurationSet = configurationSetOf("AlertConfigurationSet", `mission-mail-${app.stage}-alerts`, false, alertMaxDeliverySeconds);
  const alertTrackingConfigurationSet = configurationSetOf("AlertTrackingConfigurationSet", `mission-mail-${app.stage}-alerts-tracking`, true, alertMaxDeliverySeconds);

  const identity = new ses.EmailIdentity(stack, "Identity", {
    identity: ses.Identity.domain(domain),
    dkimSigning: true,
    dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
    mailFromDomain: `bounce.${domain}`,
    mailFromBehaviorOnMxFailure: ses.MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
    // Sends that name no configuration set get the untracked one.
    configurationSet,
  });

  const configurationSetArn = (name: string) =>
    stack.formatArn({ service: "ses", resource: "configuration-set", resourceName: name });

  stack.addOutputs({
    MailDomain: domain,
    // The three DNS records that verify the domain and sign its mail (Easy DKIM); see docs/deploy.md.
    DkimRecord1: `${identity.dkimDnsTokenName1} CNAME ${identity.dkimDnsTokenValue1}`,
    DkimRecord2: `${identity.dkimDnsTokenName2} CNAME ${identity.dkimDnsTokenValue2}`,
    DkimRecord3: `${identity.dkimDnsTokenName3} CNAME ${identity.dkimDnsTokenValue3}`,
    ConfigurationSet: configurationSet.configurationSetName,
    TrackingConfigurationSet: trackingConfigurationSet.configurationSetName,
    AlertConfigurationSet: alertConfigurationSet.configurationSetName,
    AlertTrackingConfigurationSet: alertTrackingConfigurationSet.configurationSetName,
  });

  return {
    identity,
    configurationSet,
    trackingConfigurationSet,
    alertConfigurationSet,
    alertTrackingConfigurationSet,
    alertMaxDeliverySeconds,
    fromAddress,
    domain,
    /** ARNs of the general configuration sets, for scoping ses:Send* grants. */
    configurationSetArns: [
      configurationSetArn(configurationSet.configurationSetName),
      configurationSetArn(trackingConfigurationSet.configurationSetName),
    ],
    /** ARNs of the alerts' configuration sets: only the sender sends alerts. */
    alertConfigurationSetArns: [
      configurationSetArn(alertConfigurationSet.configurationSetName),
      configurationSetArn(alertTrackingConfigurationSet.configurationSetName),
    ],
  };
}

/** Whether the deploy builds unsubscribe by email (the `mailto:` in List-Unsubscribe): `INBOUND_UNSUBSCRIBE=1`. */
export const inboundUnsubscribeEnabled = (env: Record<string, string | undefined> = process.env) => env.INBOUND_UNSUBSCRIBE === "1";

/**
 * Unsubscribe by email, built only with `INBOUND_UNSUBSCRIBE=1`: an SES receipt rule set with one rule
 * for the `UNSUBSCRIBE_MAILTO` address (spam and virus scanning on, TLS required) whose action invokes
 * a small function asynchronously. The function reads the manage token from the subject and unsubscribes
 * through the same use case as one-click (packages/functions/src/events/inbound-unsubscribe.ts); a
 * poison event and a failure after Lambda's retries go to the feedback dead-letter queue. SES keeps no
 * copy of the mail: the rule has no S3 action. CloudFormation cannot make a rule set the active one, so
 * the deploy guide has the one command that does (docs/deploy.md, "Unsubscribe by email"), with the MX
 * record the address's domain needs.
 */
export function inboundUnsubscribe(
  app: App,
  stack: Stack,
  props: { environment: Record<string, string>; bind: SSTConstruct[]; table: Table; deadLetters: sqs.IQueue },
): { ruleSet: ses.ReceiptRuleSet; fn: Function } {
  const recipient = props.environment.UNSUBSCRIBE_MAILTO;
  if (!recipient) throw new Error("Unsubscribe by email needs UNSUBSCRIBE_MAILTO");
  const fn = new Function(stack, "InboundUnsubscribe", {
    handler: handlerPath(OPTIONAL_HANDLERS.inboundUnsubscribe),
    nodejs: FUNCTION_BUNDLING,
    timeout: "30 seconds",
    environment: { ...props.environment, FEEDBACK_DLQ_URL: props.deadLetters.queueUrl },
    bind: props.bind,
    permissions: [...tableAccess(props.table, "write"), sendTo(props.deadLetters)],
  });
  fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure: new SqsDestination(props.deadLetters) });
  const ruleSet = new ses.ReceiptRuleSet(stack, "InboundRuleSet", { receiptRuleSetName: app.logicalPrefixedName("inbound") });
  ruleSet.addRule("UnsubscribeByEmail", {
    receiptRuleName: "unsubscribe-by-email",
    recipients: [recipient],
    scanEnabled: true,
    tlsPolicy: ses.TlsPolicy.REQUIRE,
    actions: [new sesActions.Lambda({ function: fn, invocationType: sesActions.LambdaInvocationType.EVENT })],
  });
  stack.addOutputs({ InboundRuleSet: ruleSet.receiptRuleSetName });
  return { ruleSet, fn };
}
