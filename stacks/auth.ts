import { Duration, RemovalPolicy } from "aws-cdk-lib/core";
import * as cognito from "aws-cdk-lib/aws-cognito";
import type { Construct } from "constructs";
import type { StackContext } from "sst/constructs";
import { PUBLISHER_GROUP, STAFF_GROUP } from "../packages/core/src/staff/identity";
import { isProdStage } from "./stage";

/** Where the staff console lives under the public URL, and where the Hosted UI sends staff back to. */
export const STAFF_CONSOLE_PATH = "/staff";
export const STAFF_CALLBACK_PATH = "/staff/callback";

/**
 * The Hosted UI's domain prefix: app and stage, lower case (Cognito's prefixes are global per region
 * and may not contain "aws", "amazon" or "cognito"). `STAFF_AUTH_DOMAIN_PREFIX` at deploy overrides it.
 */
export const hostedUiPrefix = (app: string, stage: string): string =>
  (process.env.STAFF_AUTH_DOMAIN_PREFIX || `${app}-${stage}`)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63);

/**
 * Staff identities: a Cognito user pool (sign-in by email, no self sign-up, strong passwords, TOTP
 * required), the `staff` group that staff routes require, the `publisher` group that approving and
 * sending announcements require (a publisher may do everything staff may), and the Hosted UI domain the staff console
 * signs in through. The pool holds people, so prod stages retain it and protect it from deletion.
 *
 * The console's app client is made by the Api stack (`consoleClient`), because its callback URLs are
 * the public URL, which defaults to the API's own URL: making it here would tie this stack to the Api
 * stack in both directions.
 */
export function Auth({ app, stack }: StackContext) {
  const prod = isProdStage(app.stage);

  const userPool = new cognito.UserPool(stack, "StaffUserPool", {
    userPoolName: app.logicalPrefixedName("staff"),
    signInAliases: { email: true },
    signInCaseSensitive: false,
    selfSignUpEnabled: false,
    autoVerify: { email: true },
    standardAttributes: { email: { required: true, mutable: true } },
    keepOriginal: { email: true },
    passwordPolicy: {
      minLength: 14,
      requireLowercase: true,
      requireUppercase: true,
      requireDigits: true,
      requireSymbols: true,
      tempPasswordValidity: Duration.days(3),
    },
    // Staff can send email to every subscriber: a second factor is required, an authenticator app (TOTP), never SMS.
    mfa: cognito.Mfa.REQUIRED,
    mfaSecondFactor: { otp: true, sms: false },
    accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
    userInvitation: {
      emailSubject: "Your Mission Mail staff account",
      emailBody: "An account for the Mission Mail staff console was made for {username}. Your temporary password is {####}. You will choose a new one and set up an authenticator app when you first sign in.",
    },
    deletionProtection: prod,
    removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });

  const staffGroup = new cognito.UserPoolGroup(stack, "StaffGroup", {
    userPool,
    groupName: STAFF_GROUP,
    description: "May use the staff console and the /api/staff routes: digests, drafting, previewing and test-sending announcements, missions, statistics, the audit log.",
  });

  const publisherGroup = new cognito.UserPoolGroup(stack, "PublisherGroup", {
    userPool,
    groupName: PUBLISHER_GROUP,
    description: "May also approve, send, schedule, pause, resume and cancel announcements and retire missions (an approval must come from someone other than the last editor).",
  });

  const domain = userPool.addDomain("StaffHostedUi", { cognitoDomain: { domainPrefix: hostedUiPrefix(app.name, app.stage) } });

  /** The issuer of the pool's tokens (`iss`), which is also where its JWKS lives (`<issuer>/.well-known/jwks.json`). */
  const issuer = `https://cognito-idp.${stack.region}.amazonaws.com/${userPool.userPoolId}`;

  /**
   * The staff console's app client, in the caller's stack: a public client (no secret) that signs in
   * through the Hosted UI with the authorization-code grant and PKCE, and gets openid, email and
   * profile. Cognito accepts PKCE on any code-grant client; a public client has nothing else to prove
   * who it is, so the console always sends it.
   */
  const consoleClient = (scope: Construct, publicUrl: string) =>
    new cognito.UserPoolClient(scope, "StaffConsoleClient", {
      userPool,
      userPoolClientName: "staff-console",
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [`${publicUrl}${STAFF_CALLBACK_PATH}`],
        logoutUrls: [`${publicUrl}${STAFF_CONSOLE_PATH}`],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });

  stack.addOutputs({ StaffUserPoolId: userPool.userPoolId, StaffIssuer: issuer, StaffHostedUiUrl: domain.baseUrl() });

  return { userPool, staffGroup, publisherGroup, domain, issuer, consoleClient };
}
