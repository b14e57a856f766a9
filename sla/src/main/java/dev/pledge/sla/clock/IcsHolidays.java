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
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
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
 *   <li>the repeating shapes holiday calendars use are supported: {@code RRULE:FREQ=YEARLY} with
 *       optional {@code INTERVAL}, {@code COUNT} or {@code UNTIL}, on DTSTART's date each year, on
 *       {@code BYMONTH}/{@code BYMONTHDAY} dates, or on weekdays of the {@code BYMONTH} months
 *       ({@code BYMONTH=5;BYDAY=-1MO}, the last Monday of May; {@code BYMONTH=11;BYDAY=4TH}, the
 *       fourth Thursday of November; {@code BYDAY=MO} without an ordinal, every Monday of the month),
 *       expanded as RFC 5545 section 3.3.10 says; extra dates in {@code RDATE} lists; dates removed by
 *       {@code EXDATE}; and a moved instance (an event with the same {@code UID} and a
 *       {@code RECURRENCE-ID}) replacing the one it names. DTSTART is always the first occurrence and
 *       counts towards {@code COUNT}, even when it is not one of its rule's dates (RFC 5545 sections
 *       3.3.10 and 3.8.5.3). An occurrence lasts as long as the first, in local time for timed events
 *       (a closure from 00:00 to 00:00 London time stays a whole day in a year whose clock change falls
 *       elsewhere). Dates a year lacks (29 February, a fifth Monday) are skipped. A rule is expanded
 *       for at most {@value #HORIZON_YEARS} years from its DTSTART unless its {@code UNTIL} says
 *       otherwise;
 *   <li>any other recurrence ({@code FREQ=WEEKLY}, {@code BYDAY} without {@code BYMONTH},
 *       {@code BYSETPOS}, {@code RDATE;VALUE=PERIOD}, ...) is an error naming the line, rather than
 *       holidays silently missing or invented.
 * </ul>
 *
 * Bounded, because a calendar file is untrusted input: at most {@value #MAX_CHARACTERS} characters,
 * dates in the years 1 to 9999, each instance of an event at most {@value #MAX_DAYS_PER_INSTANCE}
 * days long, at most {@value #MAX_INSTANCES_PER_EVENT} instances per event (DTSTART, the rule's and
 * the RDATEs) and at most {@value #MAX_DATES_PER_FILE} holiday dates per file; beyond these the file
 * is refused, naming the line. {@code TZID} takes an IANA region id or a Windows zone name
 * ({@code GMT Standard Time}, as Outlook writes them), mapped after the Unicode CLDR's table.
 *
 * Errors name the source and line. Stateless and thread-safe.
 */
public final class IcsHolidays {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuuMMdd", Locale.ROOT);
  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss", Locale.ROOT);
  /** How many years an unbounded yearly rule is expanded for, from its DTSTART. */
  public static final int HORIZON_YEARS = 50;
  /** The largest calendar text read, in characters. */
  public static final int MAX_CHARACTERS = 4 * 1024 * 1024;
  /** The longest one instance of an event may be, in days: a holiday, not an era. */
  public static final int MAX_DAYS_PER_INSTANCE = 366;
  /** The most instances one event may have: DTSTART, its rule's and its RDATEs. */
  public static final int MAX_INSTANCES_PER_EVENT = 1_000;
  /** The most holiday dates one file may give. */
  public static final int MAX_DATES_PER_FILE = 20_000;
  private static final int MAX_YEAR = 9999;

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
      if (Files.isDirectory(file)) {
        throw new IllegalArgumentException("holiday calendar " + file + " is a directory, not an iCalendar file");
      }
      if (Files.size(file) > 4L * MAX_CHARACTERS) {
        throw new IllegalArgumentException("holiday calendar " + file + " is larger than "
            + MAX_CHARACTERS + " characters");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("holiday calendar " + file + " does not exist");
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalArgumentException("holiday calendar " + file + " is not UTF-8 text");
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
    if (text.length() > MAX_CHARACTERS) {
      throw new IllegalArgumentException(source + ": the calendar is larger than " + MAX_CHARACTERS + " characters");
    }
    TreeSet<LocalDate> out = new TreeSet<>();
    List<String[]> lines = unfold(text); // {line number, content}
    boolean inCalendar = false;
    boolean seenCalendar = false;
    Event event = null;
    List<Event> events = new ArrayList<>();
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
        events.add(event);
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
    // a moved instance (same UID, RECURRENCE-ID) takes the place of the occurrence it names
    for (Event moved : events) {
      if (moved.recurrenceId != null) {
        for (Event master : events) {
          if (master.recurrenceId == null && master.uid != null && master.uid.equals(moved.uid)) {
            master.exclusions.add(moved.recurrenceId);
            master.exclusionLines.add(moved.recurrenceIdLine);
          }
        }
      }
    }
    for (Event e : events) {
      e.addTo(source, zone, out);
      if (out.size() > MAX_DATES_PER_FILE) {
        throw new IllegalArgumentException(source + ": the calendar gives more than " + MAX_DATES_PER_FILE
            + " holiday dates (the event at line " + e.line + " passes the limit)");
      }
    }
    return List.copyOf(out);
  }

  /** Lines with folding undone, each with the number of the line it started on. */
  private static List<String[]> unfold(String text) {
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    // one builder per logical line: each continuation is appended once, so unfolding is linear
    List<String[]> out = new ArrayList<>();
    StringBuilder current = null;
    int currentLine = 0;
    int lineNo = 0;
    int at = 0;
    int n = text.length();
    while (at <= n) {
      int nl = text.indexOf('\n', at);
      int end = nl < 0 ? n : nl;
      int contentEnd = end > at && text.charAt(end - 1) == '\r' ? end - 1 : end;
      lineNo++;
      boolean continuation = contentEnd > at && (text.charAt(at) == ' ' || text.charAt(at) == '\t');
      if (continuation && current != null) {
        current.append(text, at + 1, contentEnd);
      } else {
        if (current != null) {
          out.add(new String[] {String.valueOf(currentLine), current.toString()});
        }
        current = new StringBuilder().append(text, at, contentEnd);
        currentLine = lineNo;
      }
      if (nl < 0) {
        break;
      }
      at = nl + 1;
    }
    if (current != null) {
      out.add(new String[] {String.valueOf(currentLine), current.toString()});
    }
    return out;
  }

  private static IllegalArgumentException error(String source, int line, String problem) {
    return new IllegalArgumentException(source + ":" + line + ": " + problem);
  }

  /** One content line: NAME;PARAM=V;...:VALUE. */
  private record Property(String name, String tzid, boolean dateValue, boolean period, String value) {
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
      String[] head = content.substring(0, colon).split(";", -1);
      String name = head[0].strip().toUpperCase(Locale.ROOT);
      if (name.isEmpty()) {
        throw error(source, line, "not an iCalendar content line (no property name): '" + shorten(content) + "'");
      }
      if (!name.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
        throw error(source, line, "not an iCalendar content line (property name '" + shorten(head[0].strip())
            + "'): '" + shorten(content) + "'");
      }
      String tzid = null;
      boolean date = false;
      boolean period = false;
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
          period = v.equalsIgnoreCase("PERIOD");
        }
      }
      return new Property(name, tzid, date, period, content.substring(colon + 1).strip());
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
    String uid;
    Property recurrenceId;
    int recurrenceIdLine;
    Property rule;
    int ruleLine;
    final List<Property> rdates = new ArrayList<>();
    final List<Integer> rdateLines = new ArrayList<>();
    final List<Property> exclusions = new ArrayList<>();
    final List<Integer> exclusionLines = new ArrayList<>();

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
        case "UID" -> uid = p.value;
        case "RECURRENCE-ID" -> {
          recurrenceId = p;
          recurrenceIdLine = no;
        }
        case "RRULE" -> {
          if (rule != null) {
            throw error(source, no, "a second RRULE in one event is not supported");
          }
          rule = p;
          ruleLine = no;
        }
        case "RDATE" -> {
          if (p.period) {
            throw error(source, no, "RDATE;VALUE=PERIOD is not supported; give dates or date-times");
          }
          rdates.add(p);
          rdateLines.add(no);
        }
        case "EXDATE" -> {
          exclusions.add(p);
          exclusionLines.add(no);
        }
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
        long days = java.time.temporal.ChronoUnit.DAYS.between(from, to);
        if (days > MAX_DAYS_PER_INSTANCE) {
          throw error(source, endLine, "the event lasts " + days + " days; an instance lasts at most "
              + MAX_DAYS_PER_INSTANCE + " days");
        }
        java.util.Set<LocalDate> excluded = new java.util.HashSet<>();
        for (int i = 0; i < exclusions.size(); i++) {
          int no = exclusionLines.get(i);
          for (String v : exclusions.get(i).value.split(",")) {
            excluded.add(v.strip().length() == 8 ? date(source, no, v.strip())
                : instant(source, no, exclusions.get(i), v.strip(), zone).toLocalDate());
          }
        }
        for (LocalDate first : occurrences(source, from, zone)) {
          if (excluded.contains(first)) {
            continue;
          }
          for (LocalDate d = first; d.isBefore(first.plusDays(days)); d = d.plusDays(1)) {
            out.add(d);
          }
        }
        return;
      }
      if (end == null) {
        return; // a moment, not a stretch of time: no whole day
      }
      ZonedDateTime from = instant(source, startLine, start, start.value, zone);
      ZonedDateTime to = instant(source, endLine, end, end.value, zone);
      if (!to.isAfter(from)) {
        throw error(source, endLine, "DTEND " + end.value + " is not after DTSTART " + start.value);
      }
      long span = java.time.Duration.between(from, to).toDays();
      if (span > MAX_DAYS_PER_INSTANCE) {
        throw error(source, endLine, "the event lasts " + span + " days; an instance lasts at most "
            + MAX_DAYS_PER_INSTANCE + " days");
      }
      // a repeat keeps the local times of DTSTART and DTEND in DTSTART's own zone, so a closure of
      // a whole local day stays one when a later year's clock change falls elsewhere
      String sv = start.value;
      ZoneId ownZone = sv.endsWith("Z") || sv.endsWith("z") ? ZoneOffset.UTC
          : start.tzid != null ? tzid(source, startLine, start.tzid) : zone;
      ZonedDateTime own = from.withZoneSameInstant(ownZone);
      java.time.Duration localLength = java.time.Duration.between(own.toLocalDateTime(),
          to.withZoneSameInstant(ownZone).toLocalDateTime());
      java.util.Set<java.time.Instant> excluded = new java.util.HashSet<>();
      for (int i = 0; i < exclusions.size(); i++) {
        for (String v : exclusions.get(i).value.split(",")) {
          excluded.add(instant(source, exclusionLines.get(i), exclusions.get(i), v.strip(), own.getZone()).toInstant());
        }
      }
      for (LocalDate day : occurrences(source, own.toLocalDate(), own.getZone())) {
        ZonedDateTime s = day.atTime(own.toLocalTime()).atZone(own.getZone());
        if (excluded.contains(s.toInstant())) {
          continue;
        }
        ZonedDateTime e = s.toLocalDateTime().plus(localLength).atZone(ownZone);
        wholeDays(s.withZoneSameInstant(zone), e.withZoneSameInstant(zone), zone, out);
      }
    }

    /** The whole days of {@code zone} inside [from, to). */
    private static void wholeDays(ZonedDateTime from, ZonedDateTime to, ZoneId zone, TreeSet<LocalDate> out) {
      LocalDate d = from.toLocalDate();
      if (from.isAfter(d.atStartOfDay(zone))) {
        d = d.plusDays(1);
      }
      while (!d.plusDays(1).atStartOfDay(zone).isAfter(to)) {
        out.add(d);
        d = d.plusDays(1);
      }
    }

    /**
     * The first dates of every occurrence: DTSTART's, those of the yearly rule, and the RDATEs (read
     * in {@code zone}, the event's own zone for timed events), in no particular order.
     */
    private List<LocalDate> occurrences(String source, LocalDate first, ZoneId zone) {
      List<LocalDate> out = new ArrayList<>();
      out.add(first);
      if (rule != null) {
        yearly(source, first, zone, out);
      }
      for (int i = 0; i < rdates.size(); i++) {
        Property p = rdates.get(i);
        for (String v : p.value.split(",")) {
          if (out.size() >= MAX_INSTANCES_PER_EVENT) {
            throw error(source, rdateLines.get(i), "the event has more than " + MAX_INSTANCES_PER_EVENT
                + " instances");
          }
          String t = v.strip();
          out.add(t.length() == 8 ? date(source, rdateLines.get(i), t)
              : instant(source, rdateLines.get(i), p, t, zone).toLocalDate());
        }
      }
      return out;
    }

    /**
     * Adds the later occurrences of an {@code RRULE:FREQ=YEARLY}, refusing any other rule. Follows
     * RFC 5545 section 3.3.10: {@code BYMONTH} expands the year into those months (DTSTART's month
     * without it, or every month when only {@code BYMONTHDAY} is given); {@code BYMONTHDAY} or
     * {@code BYDAY} then picks days of each month (DTSTART's day of the month without either); dates
     * a year does not have are skipped. DTSTART is the first occurrence and counts towards
     * {@code COUNT} even when the rule would not produce it (sections 3.3.10 and 3.8.5.3); the
     * rule's own occurrences before DTSTART do not exist.
     */
    private void yearly(String source, LocalDate first, ZoneId zone, List<LocalDate> out) {
      String freq = null;
      Integer count = null;
      LocalDate until = null;
      int interval = 1;
      List<Integer> months = null;
      List<Integer> monthDays = null;
      List<WeekdayInMonth> weekdays = null;
      for (String part : rule.value.split(";")) {
        int eq = part.indexOf('=');
        String k = (eq < 0 ? part : part.substring(0, eq)).strip().toUpperCase(Locale.ROOT);
        String v = eq < 0 ? "" : part.substring(eq + 1).strip();
        switch (k) {
          case "FREQ" -> freq = v.toUpperCase(Locale.ROOT);
          case "COUNT" -> count = positive(source, "COUNT", v);
          case "INTERVAL" -> interval = positive(source, "INTERVAL", v);
          case "UNTIL" -> until = v.length() == 8 ? date(source, ruleLine, v)
              : instant(source, ruleLine, new Property("UNTIL", null, false, false, v), v, zone).toLocalDate();
          case "BYMONTH" -> months = numbers(source, "BYMONTH", v, 12, false);
          case "BYMONTHDAY" -> monthDays = numbers(source, "BYMONTHDAY", v, 31, true);
          case "BYDAY" -> weekdays = weekdays(source, v);
          case "WKST" -> { } // the week's first day changes nothing in a yearly rule without weeks
          default -> throw error(source, ruleLine, "RRULE part " + k + " is not supported; a repeating holiday"
              + " is FREQ=YEARLY on DTSTART's date or on BYMONTH with BYMONTHDAY or BYDAY, with optional COUNT,"
              + " UNTIL or INTERVAL, or an RDATE list");
        }
      }
      if (!"YEARLY".equals(freq)) {
        throw error(source, ruleLine, "RRULE FREQ=" + (freq == null ? "(missing)" : freq) + " is not supported; a"
            + " repeating holiday is FREQ=YEARLY, or an RDATE list");
      }
      if (count != null && until != null) {
        throw error(source, ruleLine, "RRULE has both COUNT and UNTIL; RFC 5545 allows one");
      }
      if (weekdays != null && months == null) {
        throw error(source, ruleLine, "RRULE BYDAY without BYMONTH (weekdays counted through the whole year) is not"
            + " supported; name the month, as in BYMONTH=5;BYDAY=-1MO");
      }
      if (weekdays != null && monthDays != null) {
        throw error(source, ruleLine, "RRULE BYDAY together with BYMONTHDAY is not supported; use one of them");
      }
      if (months == null) {
        months = monthDays == null ? List.of(first.getMonthValue()) : List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
      }
      if (monthDays == null && weekdays == null) {
        monthDays = List.of(first.getDayOfMonth());
      }
      int made = 1; // DTSTART is the first instance, whether or not the rule gives it
      long lastYear = Math.min(MAX_YEAR, until != null ? until.getYear() : (long) first.getYear() + HORIZON_YEARS);
      // the year in a long: INTERVAL=2147483647 must end the loop, not wrap around
      for (long y = first.getYear(); y <= lastYear && (count == null || made < count); y += interval) {
        TreeSet<LocalDate> year = new TreeSet<>();
        for (int m : months) {
          YearMonth ym = YearMonth.of((int) y, m);
          if (weekdays != null) {
            weekdays.forEach(w -> w.addIn(ym, year));
          } else {
            for (int d : monthDays) {
              int day = d > 0 ? d : ym.lengthOfMonth() + 1 + d;
              if (day >= 1 && day <= ym.lengthOfMonth()) {
                year.add(ym.atDay(day)); // the 31st of a 30-day month, 29 February: skipped (RFC 5545)
              }
            }
          }
        }
        for (LocalDate d : year.tailSet(first, false)) {
          if (until != null && d.isAfter(until) || count != null && made >= count) {
            return;
          }
          if (made >= MAX_INSTANCES_PER_EVENT) {
            throw error(source, ruleLine, "RRULE gives more than " + MAX_INSTANCES_PER_EVENT
                + " instances; bound it with COUNT or UNTIL");
          }
          out.add(d);
          made++;
        }
      }
    }

    /** The comma-separated numbers of {@code part}, each within 1..max (or -max..-1 when allowed). */
    private List<Integer> numbers(String source, String part, String v, int max, boolean negative) {
      List<Integer> out = new ArrayList<>();
      for (String n : v.split(",", -1)) {
        int x;
        try {
          x = Integer.parseInt(n.strip());
        } catch (NumberFormatException e) {
          x = 0;
        }
        if (x == 0 || x > max || x < (negative ? -max : 1)) {
          throw error(source, ruleLine, "RRULE " + part + " value '" + n.strip() + "' is not " + (negative
              ? "1.." + max + " or -" + max + "..-1" : "1.." + max));
        }
        out.add(x);
      }
      return out;
    }

    private static final java.util.regex.Pattern WEEKDAY =
        java.util.regex.Pattern.compile("([+-]?[0-9]{1,2})?(MO|TU|WE|TH|FR|SA|SU)");

    /** The BYDAY list: weekdays, each with an optional ordinal within the month. */
    private List<WeekdayInMonth> weekdays(String source, String v) {
      List<WeekdayInMonth> out = new ArrayList<>();
      for (String w : v.split(",", -1)) {
        java.util.regex.Matcher m = WEEKDAY.matcher(w.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
          throw error(source, ruleLine, "RRULE BYDAY value '" + w.strip() + "' is not a weekday such as MO, 1MO"
              + " or -1MO");
        }
        int ordinal = m.group(1) == null ? 0 : Integer.parseInt(m.group(1).replace("+", ""));
        if (m.group(1) != null && (ordinal == 0 || Math.abs(ordinal) > 5)) {
          throw error(source, ruleLine, "RRULE BYDAY value '" + w.strip() + "' has ordinal " + ordinal + "; within"
              + " a month it is 1..5 or -5..-1");
        }
        out.add(new WeekdayInMonth(ordinal, DAYS.get(m.group(2))));
      }
      return out;
    }

    private static final java.util.Map<String, java.time.DayOfWeek> DAYS = java.util.Map.of(
        "MO", java.time.DayOfWeek.MONDAY, "TU", java.time.DayOfWeek.TUESDAY, "WE", java.time.DayOfWeek.WEDNESDAY,
        "TH", java.time.DayOfWeek.THURSDAY, "FR", java.time.DayOfWeek.FRIDAY, "SA", java.time.DayOfWeek.SATURDAY,
        "SU", java.time.DayOfWeek.SUNDAY);

    /** One BYDAY entry of a yearly rule with BYMONTH: the n-th (from the end if negative) or every weekday. */
    private record WeekdayInMonth(int ordinal, java.time.DayOfWeek day) {
      void addIn(YearMonth ym, java.util.Set<LocalDate> out) {
        LocalDate firstOfMonth = ym.atDay(1);
        if (ordinal == 0) {
          for (LocalDate d = firstOfMonth.with(TemporalAdjusters.nextOrSame(day)); d.getMonth() == ym.getMonth();
              d = d.plusWeeks(1)) {
            out.add(d);
          }
          return;
        }
        LocalDate d = ordinal == -1 ? firstOfMonth.with(TemporalAdjusters.lastInMonth(day))
            : firstOfMonth.with(TemporalAdjusters.dayOfWeekInMonth(ordinal, day));
        if (YearMonth.from(d).equals(ym)) {
          out.add(d); // a fifth Monday a month lacks would fall in the next month: none this year
        }
      }
    }

    private int positive(String source, String part, String v) {
      try {
        int n = Integer.parseInt(v);
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // falls through to the error below
      }
      throw error(source, ruleLine, "RRULE " + part + " must be a whole number of at least 1, got '" + v + "'");
    }

    private static LocalDate date(String source, int line, String value) {
      if (!digits(value, 0, 8) || value.length() != 8) {
        throw error(source, line, "'" + shorten(value) + "' is not a date such as 20261225");
      }
      if (value.startsWith("0000")) {
        throw error(source, line, "'" + value + "' is not a date such as 20261225 (years 1 to 9999)");
      }
      try {
        return LocalDate.parse(value, DATE);
      } catch (DateTimeException e) {
        throw error(source, line, "'" + value + "' is not a date such as 20261225");
      }
    }

    /** Whether {@code v} holds ASCII digits from {@code from} to {@code to}. */
    private static boolean digits(String v, int from, int to) {
      if (v.length() < to) {
        return false;
      }
      for (int i = from; i < to; i++) {
        if (v.charAt(i) < '0' || v.charAt(i) > '9') {
          return false;
        }
      }
      return true;
    }

    /** The zone a TZID names: an IANA region id or a Windows zone name. */
    private static ZoneId tzid(String source, int line, String tzid) {
      try {
        return ZoneId.of(tzid);
      } catch (DateTimeException e) {
        return WindowsZones.of(tzid).orElseThrow(() -> error(source, line, "unknown TZID '" + shorten(tzid)
            + "' (use a region id such as Europe/London, or a Windows zone name such as GMT Standard Time)"));
      }
    }

    /**
     * The date-time {@code v}, written with {@code p}'s parameters (UTC with {@code Z}, its TZID, or
     * floating, read in {@code zone}), in {@code zone}.
     */
    private static ZonedDateTime instant(String source, int line, Property p, String v, ZoneId zone) {
      boolean utc = v.endsWith("Z") || v.endsWith("z");
      String body = utc ? v.substring(0, v.length() - 1) : v;
      if (body.length() != 15 || !digits(body, 0, 8) || body.charAt(8) != 'T' || !digits(body, 9, 15)) {
        throw error(source, line, "'" + shorten(v) + "' is not a date-time such as 20261224T170000");
      }
      if (body.startsWith("0000")) {
        throw error(source, line, "'" + v + "' is not a date-time such as 20261224T170000 (years 1 to 9999)");
      }
      LocalDateTime local;
      try {
        local = LocalDateTime.parse(body, DATE_TIME);
      } catch (DateTimeException e) {
        throw error(source, line, "'" + v + "' is not a date-time such as 20261224T170000");
      }
      ZoneId from;
      if (utc) {
        from = ZoneOffset.UTC;
      } else if (p.tzid != null) {
        from = tzid(source, line, p.tzid);
      } else {
        from = zone; // floating time: read in the calendar's zone
      }
      return local.atZone(from).withZoneSameInstant(zone);
    }
  }
}
