/** Pledge SMS alerts through Amazon SNS (P4): provides the policy's {@code alerts.sms} notifier. */
module dev.pledge.sla.aws {
  requires transitive dev.pledge.sla;
  requires transitive software.amazon.awssdk.services.sns;
  requires software.amazon.awssdk.core;
  requires software.amazon.awssdk.awscore;
  requires software.amazon.awssdk.auth;
  requires software.amazon.awssdk.regions;
  requires software.amazon.awssdk.http;
  requires software.amazon.awssdk.http.urlconnection;

  exports dev.pledge.sla.aws;

  provides dev.pledge.sla.notify.SmsNotifierProvider with dev.pledge.sla.aws.internal.SnsSmsNotifierProvider;
}
