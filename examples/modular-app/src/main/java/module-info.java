/** A host application that uses Pledge as named modules: the shape a JPMS shop adopts. */
module dev.pledge.examples.modular {
  requires dev.pledge.security;
  requires dev.pledge.backup;
  requires dev.pledge.sla;
}
