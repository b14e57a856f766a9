package dev.pledge.sla.clock;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Windows time-zone names, as Outlook and Exchange write them in an iCalendar {@code TZID}
 * ({@code GMT Standard Time}), mapped to the IANA region each stands for, after the Unicode CLDR's
 * windowsZones table (its territory-001 zone). The table is data, {@code windows-zones.tsv} beside
 * this class. Immutable and thread-safe.
 */
final class WindowsZones {
  private static final Map<String, String> TABLE = load();

  private WindowsZones() {}

  /** The region {@code name} stands for, ignoring case and surrounding spaces, if it is a Windows name. */
  static Optional<ZoneId> of(String name) {
    String id = TABLE.get(name.strip().toLowerCase(Locale.ROOT));
    return id == null ? Optional.empty() : Optional.of(ZoneId.of(id));
  }

  /** The whole table: Windows name (as written in the table) to IANA id, in the table's order. */
  static Map<String, String> table() {
    Map<String, String> out = new LinkedHashMap<>();
    read((windows, iana) -> out.put(windows, iana));
    return Collections.unmodifiableMap(out);
  }

  private static Map<String, String> load() {
    Map<String, String> out = new java.util.HashMap<>();
    read((windows, iana) -> out.put(windows.toLowerCase(Locale.ROOT), iana));
    return Map.copyOf(out);
  }

  private static void read(java.util.function.BiConsumer<String, String> sink) {
    try (InputStream in = WindowsZones.class.getResourceAsStream("windows-zones.tsv")) {
      if (in == null) {
        throw new IllegalStateException("windows-zones.tsv is missing from the pledge-sla jar");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int tab = line.indexOf('\t');
        sink.accept(line.substring(0, tab).strip(), line.substring(tab + 1).strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read windows-zones.tsv from the pledge-sla jar", e);
    }
  }
}
