package dev.pledge.sla.severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An open-addressing hash table from a lower-case word to the rules that name it as a keyword and
 * the phrases that begin with it, probed straight from a region of the text so that scanning a
 * report allocates nothing per word. Immutable after construction and thread-safe.
 */
final class WordIndex {
  /** The rules a word starts: keyword rules, and phrases (all words) that begin with it. */
  static final class Entry {
    final String word;
    final int[] keywordRules;
    final int[] phraseRules;
    final String[][] phrases;

    Entry(String word, int[] keywordRules, int[] phraseRules, String[][] phrases) {
      this.word = word;
      this.keywordRules = keywordRules;
      this.phraseRules = phraseRules;
      this.phrases = phrases;
    }
  }

  private final Entry[] table;
  private final int mask;
  private final int shift;

  WordIndex(Map<String, List<Integer>> keywords, Map<String, List<Object[]>> phrases) {
    java.util.Set<String> words = new java.util.HashSet<>(keywords.keySet());
    words.addAll(phrases.keySet());
    int size = Integer.highestOneBit(Math.max(4, words.size() * 4) - 1) << 1;
    table = new Entry[size];
    mask = size - 1;
    shift = 32 - Integer.numberOfTrailingZeros(size);
    for (String w : words) {
      int[] kw = keywords.getOrDefault(w, List.of()).stream().mapToInt(Integer::intValue).distinct().toArray();
      List<Object[]> ps = phrases.getOrDefault(w, new ArrayList<>());
      int[] pr = new int[ps.size()];
      String[][] pw = new String[ps.size()][];
      for (int i = 0; i < ps.size(); i++) {
        pr[i] = (Integer) ps.get(i)[0];
        pw[i] = (String[]) ps.get(i)[1];
      }
      int slot = slot(hash(w, 0, w.length()));
      while (table[slot] != null) {
        slot = (slot + 1) & mask;
      }
      table[slot] = new Entry(w, kw, pr, pw);
    }
  }

  private static int hash(String s, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      h = 31 * h + s.charAt(i);
    }
    return h;
  }

  /** Fibonacci hashing: similar words (alpha1, alpha2) have neighbouring hashes; spread them apart. */
  private int slot(int h) {
    return (h * 0x9E3779B9) >>> shift;
  }

  /** The entry for the word {@code text[from, to)}, or null. */
  Entry get(String text, int from, int to) {
    int len = to - from;
    int slot = slot(hash(text, from, to));
    Entry e;
    while ((e = table[slot]) != null) {
      if (e.word.length() == len && e.word.regionMatches(0, text, from, len)) {
        return e;
      }
      slot = (slot + 1) & mask;
    }
    return null;
  }
}
