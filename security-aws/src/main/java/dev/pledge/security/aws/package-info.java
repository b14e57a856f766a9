/**
 * Just-in-time access and the breach protocol on AWS (P15-P18, P29, P31, P32): an
 * {@link dev.pledge.security.aws.IamAccessTarget} that makes an IAM user per grant, an
 * {@link dev.pledge.security.aws.IamKeyRotation} that deactivates, deletes and replaces access keys,
 * a {@link dev.pledge.security.aws.SecretsManagerRotation} that stages new data-store passwords as
 * Secrets Manager rotation does, and a {@link dev.pledge.security.aws.SecretsManagerSink} for
 * handing secrets over. {@link dev.pledge.security.aws.AwsConnection} builds the SDK clients.
 */
package dev.pledge.security.aws;
