import * as events from "aws-cdk-lib/aws-events";
import * as ses from "aws-cdk-lib/aws-ses";
import type { StackContext } from "sst/constructs";

/** What SES reports for every send, to both configuration sets. */
const DELIVERY_EVENTS = [
  ses.EmailSendingEvent.SEND,
  ses.EmailSendingEvent.DELIVERY,
  ses.EmailSendingEvent.BOUNCE,
  ses.EmailSendingEvent.COMPLAINT,
  ses.EmailSendingEvent.REJECT,
  ses.EmailSendingEvent.RENDERING_FAILURE,
  ses.EmailSendingEvent.DELIVERY_DELAY,
];

/**
 * SES v2 sending: the domain identity (Easy DKIM, custom MAIL FROM) and two configuration sets.
 * Tracking is per configuration set, so the default set tracks nothing, and the tracking set (open
 * and click) is only used for subscribers who opted in. Both publish their events to the account's
 * default EventBridge bus, the only bus SES can target; the feedback rule lives there.
 */
export function Mail({ app, stack }: StackContext) {
  const domain = process.env.MAIL_DOMAIN || "missions.example.org";
  const fromAddress = process.env.MAIL_FROM || `Missions <news@${domain}>`;
  const defaultBus = events.EventBus.fromEventBusName(stack, "DefaultBus", "default");

  const configurationSet = new ses.ConfigurationSet(stack, "ConfigurationSet", {
    configurationSetName: `mission-mail-${app.stage}`,
    reputationMetrics: true,
    sendingEnabled: true,
    suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
    // Account-level VDM engagement tracking would otherwise add open and click tracking here too.
    vdmOptions: { engagementMetrics: false },
  });
  configurationSet.addEventDestination("Events", {
    destination: ses.EventDestination.eventBus(defaultBus),
    events: DELIVERY_EVENTS,
  });

  const trackingConfigurationSet = new ses.ConfigurationSet(stack, "TrackingConfigurationSet", {
    configurationSetName: `mission-mail-${app.stage}-tracking`,
    reputationMetrics: true,
    sendingEnabled: true,
    suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
  });
  trackingConfigurationSet.addEventDestination("Events", {
    destination: ses.EventDestination.eventBus(defaultBus),
    events: [...DELIVERY_EVENTS, ses.EmailSendingEvent.OPEN, ses.EmailSendingEvent.CLICK],
  });

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
  });

  return {
    identity,
    configurationSet,
    trackingConfigurationSet,
    fromAddress,
    domain,
    /** ARNs of both configuration sets, for scoping ses:Send* grants. */
    configurationSetArns: [
      configurationSetArn(configurationSet.configurationSetName),
      configurationSetArn(trackingConfigurationSet.configurationSetName),
    ],
  };
}
