/**
 * Pledge security on AWS: IAM users per grant for just-in-time access, access-key rotation through
 * IAM and data-store credential rotation staged in Secrets Manager for the breach protocol (P15-P18,
 * P29, P31, P32). The only Pledge security artifact that carries the AWS SDK.
 */
module dev.pledge.security.aws {
  requires transitive dev.pledge.security;
  requires transitive software.amazon.awssdk.services.iam;
  requires transitive software.amazon.awssdk.services.secretsmanager;
  requires software.amazon.awssdk.core;
  requires software.amazon.awssdk.awscore;
  requires software.amazon.awssdk.auth;
  requires software.amazon.awssdk.regions;
  requires software.amazon.awssdk.http;
  requires software.amazon.awssdk.http.urlconnection;
  requires com.fasterxml.jackson.databind;

  exports dev.pledge.security.aws;
}
