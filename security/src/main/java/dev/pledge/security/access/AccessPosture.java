package dev.pledge.security.access;

import java.time.Instant;
import java.util.List;

/**
 * The state of access at one instant, measured against P14-P21, for the compliance report.
 *
 * @param at when it was measured
 * @param people how many people hold an account
 * @param administrators how many hold complete administrative access (P21: exactly one)
 * @param activeGrants grants in force
 * @param productionGrants of which reach production data (P15: only just in time)
 * @param contractorGrants grants held by contractors (P16: none)
 * @param standingProductionAccess whether the policy allows standing production access
 * @param findings what breaks a promise, empty when every promise holds
 */
public record AccessPosture(
    Instant at,
    int people,
    int administrators,
    int activeGrants,
    int productionGrants,
    int contractorGrants,
    boolean standingProductionAccess,
    List<String> findings) {

  /** Whether P14-P21 hold: no finding and standing production access is off. */
  public boolean kept() {
    return findings.isEmpty() && !standingProductionAccess;
  }
}
