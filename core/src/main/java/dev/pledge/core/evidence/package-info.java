/**
 * Judging promises from a deployment's evidence: the {@link dev.pledge.core.evidence.PromiseCheck}
 * service-provider interface each module implements for the promises it keeps, and the
 * {@link dev.pledge.core.evidence.Assessment} that runs them over a period (P1-P40).
 */
package dev.pledge.core.evidence;
