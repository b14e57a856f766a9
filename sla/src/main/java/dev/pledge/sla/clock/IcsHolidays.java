package dev.pledge.sla.clock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Reads holidays from an iCalendar (RFC 5545) file, such as a public-holiday calendar exported from
 * a calendar application (P34-P37). A small parser, because only a sliver of iCalendar is needed:
 *
 * <ul>
 *   <li>lines are unfolded first (a line break followed by a space or tab continues the line), with
 *       CRLF or bare LF line ends and an optional byte-order mark;
 *   <li>each {@code VEVENT} is a holiday unless its {@code STATUS} is {@code CANCELLED};
 *   <li>an all-day event ({@code DTSTART;VALUE=DATE:20261225}) covers its dates up to {@code DTEND}
 *       exclusive, or one day without {@code DTEND};
 *   <li>a timed event ({@code DTSTART;TZID=Europe/London:20261224T000000}, UTC with {@code Z}, or
 *       floating, read in the calendar's zone) covers only the dates of the calendar's zone whose
 *       whole day lies inside it, so a half-day closure never removes a whole working day;
 *   <li>recurrence ({@code RRULE}, {@code RDATE}) is not supported and is an error naming the line,
 *       rather than holidays silently missing.
 * </ul>
 *
 * Errors name the source and line. Stateless and thread-safe.
 */
public final class IcsHolidays {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuuMMdd", Locale.ROOT);
  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss", Locale.ROOT);

  private IcsHolidays() {}

  /**
   * The holidays of the iCalendar file at {@code file}, sorted, each once.
   *
   * @param zone the calendar's zone, in which timed events are cut into days
   * @throws IllegalArgumentException naming the file and line of a problem, or a missing file
   */
  public static List<LocalDate> read(Path file, ZoneId zone) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("holiday calendar " + file + " does not exist");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read holiday calendar " + file, e);
    }
    return parse(file.toString(), text, zone);
  }

  /**
   * The holidays of the iCalendar {@code text}, sorted, each once.
   *
   * @param source a name for messages, such as the file name
   * @param zone the calendar's zone, in which timed events are cut into days
   * @throws IllegalArgumentException naming the source and line of a problem
   */
  public static List<LocalDate> parse(String source, String text, ZoneId zone) {
    TreeSet<LocalDate> out = new TreeSet<>();
    List<String[]> lines = unfold(text); // {line number, content}
    boolean inCalendar = false;
    boolean seenCalendar = false;
    Event event = null;
    for (String[] l : lines) {
      int no = Integer.parseInt(l[0]);
      String content = l[1];
      if (content.isBlank()) {
        continue;
      }
      Property p = Property.parse(source, no, content);
      if (p.name.equals("BEGIN") && p.value.equalsIgnoreCase("VCALENDAR")) {
        inCalendar = true;
        seenCalendar = true;
      } else if (p.name.equals("END") && p.value.equalsIgnoreCase("VCALENDAR")) {
        inCalendar = false;
      } else if (p.name.equals("BEGIN") && p.value.equalsIgnoreCase("VEVENT")) {
        if (!inCalendar) {
          throw error(source, no, "VEVENT outside BEGIN:VCALENDAR");
        }
        event = new Event(no);
      } else if (p.name.equals("END") && p.value.equalsIgnoreCase("VEVENT")) {
        if (event == null) {
          throw error(source, no, "END:VEVENT without BEGIN:VEVENT");
        }
        event.addTo(source, zone, out);
        event = null;
      } else if (event != null) {
        event.set(source, no, p);
      }
    }
    if (!seenCalendar) {
      throw error(source, 1, "not an iCalendar file: no BEGIN:VCALENDAR");
    }
    if (event != null) {
      throw error(source, event.line, "VEVENT is never closed with END:VEVENT");
    }
    return List.copyOf(out);
  }

  /** Lines with folding undone, each with the number of the line it started on. */
  private static List<String[]> unfold(String text) {
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String[] raw = text.split("\r?\n", -1);
    List<String[]> out = new ArrayList<>();
    for (int i = 0; i < raw.length; i++) {
      String r = raw[i];
      if (!r.isEmpty() && (r.charAt(0) == ' ' || r.charAt(0) == '\t') && !out.isEmpty()) {
        String[] last = out.get(out.size() - 1);
        last[1] = last[1] + r.substring(1);
      } else {
        out.add(new String[] {String.valueOf(i + 1), r});
      }
    }
    return out;
  }

  private static IllegalArgumentException error(String source, int line, String problem) {
    return new IllegalArgumentException(source + ":" + line + ": " + problem);
  }

  /** One content line: NAME;PARAM=V;...:VALUE. */
  private record Property(String name, String tzid, boolean dateValue, String value) {
    static Property parse(String source, int line, String content) {
      int colon = -1;
      boolean quoted = false;
      for (int i = 0; i < content.length(); i++) {
        char c = content.charAt(i);
        if (c == '"') {
          quoted = !quoted;
        } else if (c == ':' && !quoted) {
          colon = i;
          break;
        }
      }
      if (colon < 0) {
        throw error(source, line, "not an iCalendar content line (no ':'): '" + shorten(content) + "'");
      }
      String[] head = content.substring(0, colon).split(";");
      String name = head[0].strip().toUpperCase(Locale.ROOT);
      String tzid = null;
      boolean date = false;
      for (int i = 1; i < head.length; i++) {
        int eq = head[i].indexOf('=');
        if (eq < 0) {
          continue;
        }
        String k = head[i].substring(0, eq).strip().toUpperCase(Locale.ROOT);
        String v = head[i].substring(eq + 1).strip();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
          v = v.substring(1, v.length() - 1);
        }
        if (k.equals("TZID")) {
          tzid = v;
        } else if (k.equals("VALUE")) {
          date = v.equalsIgnoreCase("DATE");
        }
      }
      return new Property(name, tzid, date, content.substring(colon + 1).strip());
    }
  }

  private static String shorten(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  /** The parts of one VEVENT that matter. */
  private static final class Event {
    final int line;
    Property start;
    int startLine;
    Property end;
    int endLine;
    boolean cancelled;

    Event(int line) {
      this.line = line;
    }

    void set(String source, int no, Property p) {
      switch (p.name) {
        case "DTSTART" -> {
          start = p;
          startLine = no;
        }
        case "DTEND" -> {
          end = p;
          endLine = no;
        }
        case "STATUS" -> cancelled = p.value.equalsIgnoreCase("CANCELLED");
        case "RRULE", "RDATE" -> throw error(source, no, p.name
            + " (a repeating event) is not supported; list each holiday as its own event");
        default -> { } // SUMMARY, UID, DTSTAMP and the rest do not change the dates
      }
    }

    void addTo(String source, ZoneId zone, TreeSet<LocalDate> out) {
      if (start == null) {
        throw error(source, line, "VEVENT has no DTSTART");
      }
      if (cancelled) {
        return;
      }
      boolean allDay = start.dateValue || start.value.length() == 8;
      if (allDay) {
        LocalDate from = date(source, startLine, start.value);
        LocalDate to = end == null ? from.plusDays(1) : date(source, endLine, end.value);
        if (!to.isAfter(from)) {
          throw error(source, endLine, "DTEND " + end.value + " is not after DTSTART " + start.value);
        }
        for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
          out.add(d);
        }
        return;
      }
      if (end == null) {
        return; // a moment, not a stretch of time: no whole day
      }
      ZonedDateTime from = instant(source, startLine, start, zone);
      ZonedDateTime to = instant(source, endLine, end, zone);
      if (!to.isAfter(from)) {
        throw error(source, endLine, "DTEND " + end.value + " is not after DTSTART " + start.value);
      }
      // whole days of the calendar's zone inside [from, to)
      LocalDate d = from.toLocalDate();
      if (from.isAfter(d.atStartOfDay(zone))) {
        d = d.plusDays(1);
      }
      while (!d.plusDays(1).atStartOfDay(zone).isAfter(to)) {
        out.add(d);
        d = d.plusDays(1);
      }
    }

    private static LocalDate date(String source, int line, String value) {
      try {
        return LocalDate.parse(value, DATE);
      } catch (DateTimeParseException e) {
        throw error(source, line, "'" + value + "' is not a date such as 20261225");
      }
    }

    /** The property's time in {@code zone}. */
    private static ZonedDateTime instant(String source, int line, Property p, ZoneId zone) {
      String v = p.value;
      boolean utc = v.endsWith("Z") || v.endsWith("z");
      LocalDateTime local;
      try {
        local = LocalDateTime.parse(utc ? v.substring(0, v.length() - 1) : v, DATE_TIME);
      } catch (DateTimeParseException e) {
        throw error(source, line, "'" + v + "' is not a date-time such as 20261224T170000");
      }
      ZoneId from;
      if (utc) {
        from = ZoneOffset.UTC;
      } else if (p.tzid != null) {
        try {
          from = ZoneId.of(p.tzid);
        } catch (DateTimeException e) {
          throw error(source, line, "unknown TZID '" + p.tzid + "' (use a region id such as Europe/London)");
        }
      } else {
        from = zone; // floating time: read in the calendar's zone
      }
      return local.atZone(from).withZoneSameInstant(zone);
    }
  }
}
