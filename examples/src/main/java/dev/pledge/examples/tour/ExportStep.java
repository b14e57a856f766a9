package dev.pledge.examples.tour;

import dev.pledge.core.export.ClientDataSource;
import dev.pledge.core.export.DataExporter;
import dev.pledge.core.export.ExportManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A client's data exported to a verifiable archive (P40), from a small simulated store: the request,
 * the archive's SHA-256 and its verification land in the deployment's audit trail, from which the
 * report judges P40.
 */
final class ExportStep implements TourStep {

  @Override
  public List<Integer> promises() {
    return List.of(40);
  }

  @Override
  public String tag() {
    return "export";
  }

  @Override
  public void run(TourContext ctx) {
    Map<String, List<Map<String, Object>>> store = new LinkedHashMap<>();
    List<Map<String, Object>> orders = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      orders.add(Map.of("id", i, "client", i % 4 == 0 ? "globex" : "acme", "total", i * 7 + ".00"));
    }
    store.put("orders", orders);
    store.put("users", List.of(Map.of("client", "acme", "email", "ops@acme.test"),
        Map.of("client", "globex", "email", "it@globex.test")));
    ClientDataSource source = new ClientDataSource() {
      @Override
      public List<String> datasets(String client) {
        return List.copyOf(store.keySet());
      }

      @Override
      public void records(String client, String dataset, Consumer<Map<String, Object>> sink) {
        store.get(dataset).stream().filter(r -> client.equals(r.get("client"))).forEach(sink);
      }
    };
    Path archive = ctx.dir().resolve("export-acme.zip");
    // Five minutes before now, inside the hour the report judges from the audit trail (P40).
    ctx.clock().set(ctx.start().minus(java.time.Duration.ofMinutes(5)));
    DataExporter exporter = new DataExporter(source, ctx.clock(), ctx.audit());
    ExportManifest m = exporter.export("acme", archive, "support");
    ctx.clock().advance(java.time.Duration.ofSeconds(30));
    ExportManifest verified = exporter.verify(archive, "acme", "support");
    ctx.clock().set(ctx.start());
    boolean ok = verified.equals(m) && m.records() == 31;
    ctx.say(tag(), "client acme exported " + m.records() + " records in " + m.datasets().size()
        + " data sets to " + archive.getFileName() + ", checksums verified (P40)");
    ctx.report().judged(40, ok, "a client's data exported and verified against its manifest",
        "the export did not match its manifest", Map.of("records", String.valueOf(m.records()),
            "data sets", String.valueOf(m.datasets().size()), "archive", archive.toString()));
  }
}
