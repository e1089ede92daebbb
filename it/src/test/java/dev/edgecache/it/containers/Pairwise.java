package dev.edgecache.it.containers;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Combinations of values that cover every pair of values of any two dimensions at least once
 * (all-pairs testing), by the greedy in-parameter-order way: the first two dimensions are
 * combined whole, then each further one is added to the rows chosen so far, each row taking the
 * value that covers the most pairs not yet covered, and rows are added for the pairs left.
 * Deterministic: the same dimensions give the same rows. Invalid combinations (by {@code valid},
 * which is asked of partial rows too) are never produced, and their pairs need no cover.
 */
final class Pairwise {
  private Pairwise() {}

  /** Every combination of one value per dimension, the valid ones. */
  static <T> List<List<T>> all(List<List<T>> dimensions, Predicate<List<T>> valid) {
    List<List<T>> rows = new ArrayList<>();
    rows.add(List.of());
    for (List<T> values : dimensions) {
      List<List<T>> next = new ArrayList<>();
      for (List<T> row : rows) {
        for (T v : values) {
          List<T> longer = new ArrayList<>(row);
          longer.add(v);
          if (valid.test(longer)) {
            next.add(longer);
          }
        }
      }
      rows = next;
    }
    return rows;
  }

  /** Rows covering every valid pair. */
  static <T> List<List<T>> cover(List<List<T>> dimensions, Predicate<List<T>> valid) {
    List<List<T>> rows = new ArrayList<>();
    for (T a : dimensions.get(0)) {
      for (T b : dimensions.get(1)) {
        List<T> row = new ArrayList<>(List.of(a, b));
        if (valid.test(row)) {
          rows.add(row);
        }
      }
    }
    for (int d = 2; d < dimensions.size(); d++) {
      List<T> values = dimensions.get(d);
      Set<List<Object>> uncovered = new LinkedHashSet<>(); // in insertion order: the same rows every run
      for (int e = 0; e < d; e++) {
        for (T earlier : dimensions.get(e)) {
          for (T v : values) {
            uncovered.add(List.of(e, earlier, v));
          }
        }
      }
      // grow each row with the value that covers the most new pairs
      for (List<T> row : rows) {
        T best = null;
        int bestGain = -1;
        for (T v : values) {
          List<T> longer = new ArrayList<>(row);
          longer.add(v);
          if (!valid.test(longer)) {
            continue;
          }
          int gain = 0;
          for (int e = 0; e < d; e++) {
            if (uncovered.contains(List.of(e, row.get(e), v))) {
              gain++;
            }
          }
          if (gain > bestGain) {
            best = v;
            bestGain = gain;
          }
        }
        if (best == null) {
          throw new IllegalStateException("no valid value for dimension " + d + " after " + row);
        }
        row.add(best);
        for (int e = 0; e < d; e++) {
          uncovered.remove(List.of(e, row.get(e), best));
        }
      }
      // new rows for the pairs left, other dimensions filled in any valid way
      while (!uncovered.isEmpty()) {
        List<Object> pair = uncovered.iterator().next();
        uncovered.remove(pair);
        List<T> row = fill(dimensions, d, (Integer) pair.get(0), pair.get(1), pair.get(2), valid);
        if (row == null) {
          continue; // an invalid pair: nothing to cover
        }
        for (int e = 0; e < d; e++) {
          uncovered.remove(List.of(e, row.get(e), row.get(d)));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** A valid row of dimensions 0..d holding {@code earlier} at {@code e} and {@code v} at {@code d}; null if none. */
  private static <T> List<T> fill(List<List<T>> dimensions, int d, int e, Object earlier, Object v,
      Predicate<List<T>> valid) {
    return fill(dimensions, d, e, earlier, v, valid, new ArrayList<>());
  }

  private static <T> List<T> fill(List<List<T>> dimensions, int d, int e, Object earlier, Object v,
      Predicate<List<T>> valid, List<T> row) {
    int i = row.size();
    if (i > d) {
      return row;
    }
    for (T candidate : dimensions.get(i)) {
      if ((i == e && !candidate.equals(earlier)) || (i == d && !candidate.equals(v))) {
        continue;
      }
      row.add(candidate);
      if (valid.test(row)) {
        List<T> done = fill(dimensions, d, e, earlier, v, valid, row);
        if (done != null) {
          return done;
        }
      }
      row.remove(row.size() - 1);
    }
    return null;
  }
}
