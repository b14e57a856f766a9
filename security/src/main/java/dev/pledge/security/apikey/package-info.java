/**
 * External access keys (P29): {@link dev.pledge.security.apikey.ApiKeys} issues prefixed keys with
 * ids, keeps only their hashes in an {@link dev.pledge.security.apikey.ApiKeyStore}, verifies them in
 * constant time, and revokes and regenerates them after a breach.
 */
package dev.pledge.security.apikey;
