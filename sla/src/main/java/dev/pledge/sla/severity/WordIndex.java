package dev.pledge.sla.severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An open-addressing hash table from a lower-case word to the rules that name it as a keyword and
 * the phrases that begin with it, probed straight from a region of the scanned text (with the hash
 * the scan computed as it went) so that scanning a report allocates nothing per word. Immutable
 * after construction and thread-safe.
 */
final class WordIndex {
  /** The rules a word starts: keyword rules, and phrases (all words) that begin with it. */
  static final class Entry {
    final char[] word;
    final int hash;
    final int[] keywordRules;
    final int[] phraseRules;
    final char[][][] phrases;

    Entry(String word, int[] keywordRules, int[] phraseRules, char[][][] phrases) {
      this.word = word.toCharArray();
      this.hash = hash(word);
      this.keywordRules = keywordRules;
      this.phraseRules = phraseRules;
      this.phrases = phrases;
    }
  }

  private final Entry[] table;
  private final int[] hashes; // the hash of each slot's word, checked before the entry is touched
  private final int mask;
  private final int shift;

  WordIndex(Map<String, List<Integer>> keywords, Map<String, List<Object[]>> phrases) {
    java.util.Set<String> words = new java.util.HashSet<>(keywords.keySet());
    words.addAll(phrases.keySet());
    int size = Integer.highestOneBit(Math.max(4, words.size() * 4) - 1) << 1;
    table = new Entry[size];
    hashes = new int[size];
    mask = size - 1;
    shift = 32 - Integer.numberOfTrailingZeros(size);
    for (String w : words) {
      int[] kw = keywords.getOrDefault(w, List.of()).stream().mapToInt(Integer::intValue).distinct().toArray();
      List<Object[]> ps = phrases.getOrDefault(w, new ArrayList<>());
      int[] pr = new int[ps.size()];
      char[][][] pw = new char[ps.size()][][];
      for (int i = 0; i < ps.size(); i++) {
        pr[i] = (Integer) ps.get(i)[0];
        String[] phrase = (String[]) ps.get(i)[1];
        pw[i] = new char[phrase.length][];
        for (int k = 0; k < phrase.length; k++) {
          pw[i][k] = phrase[k].toCharArray();
        }
      }
      int slot = slot(hash(w));
      while (table[slot] != null) {
        slot = (slot + 1) & mask;
      }
      table[slot] = new Entry(w, kw, pr, pw);
      hashes[slot] = table[slot].hash;
    }
  }

  /** The hash the scan computes word by word: {@code h = 31 * h + c} over the lower-case characters. */
  static int hash(String s) {
    int h = 0;
    for (int i = 0; i < s.length(); i++) {
      h = 31 * h + s.charAt(i);
    }
    return h;
  }

  /** Fibonacci hashing: similar words (alpha1, alpha2) have neighbouring hashes; spread them apart. */
  private int slot(int h) {
    return (h * 0x9E3779B9) >>> shift;
  }

  /** The entry for the word {@code text[from, to)}, whose {@link #hash} is {@code hash}, or null. */
  Entry get(char[] text, int from, int to, int hash) {
    int len = to - from;
    int slot = slot(hash);
    Entry e;
    while ((e = table[slot]) != null) {
      if (hashes[slot] == hash && e.word.length == len && java.util.Arrays.equals(e.word, 0, len, text, from, to)) {
        return e;
      }
      slot = (slot + 1) & mask;
    }
    return null;
  }
}
