/**
 * The compliance report: every promise of PROMISES.md by number with its status and the evidence a
 * run measured, as one self-contained HTML page with SVG charts and as JSON.
 */
package dev.pledge.examples.report;
