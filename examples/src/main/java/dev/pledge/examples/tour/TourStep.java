package dev.pledge.examples.tour;

import java.util.List;

/**
 * One step of the tour: it calls a primitive for real, says in a line or two what that proved, and
 * feeds the promises it measured into the report.
 */
interface TourStep {

  /** A short tag printed before each line, such as {@code passwords}. */
  String tag();

  /**
   * The numbers of the promises this step judges. When the step throws, those it had not judged yet
   * are reported as errors naming the exception; those it had judged keep their evidence.
   */
  List<Integer> promises();

  /** Runs the step. */
  void run(TourContext ctx) throws Exception;
}
