package dev.pledge.examples.tour;

/**
 * One step of the tour: it calls a primitive for real, says in a line or two what that proved, and
 * feeds the promises it measured into the report.
 */
interface TourStep {

  /** A short tag printed before each line, such as {@code passwords}. */
  String tag();

  /** Runs the step. */
  void run(TourContext ctx) throws Exception;
}
