package dev.edgecache.bench;

import dev.edgecache.store.ehcache.TerracottaServer;
import dev.edgecache.store.ehcache.TwoNodes;
import java.util.Arrays;
import java.util.Locale;

/**
 * Cross-node collapse, a load run: two application servers in two JVMs on one Terracotta server,
 * each making 100 concurrent transaction lookups of one cold key; the one owner in the cluster
 * writes a 1 MiB body, every other lookup reads it whole. Per round: the origin fills (must be 1;
 * the run stops otherwise) and each reader's time to last byte from the start of the round, on
 * the owner's node and on the other, and when the owner got the key and finished its write. Prints
 * a table of percentiles over the measured rounds.
 *
 * <p>Arguments (all optional): lookups per node, body bytes, warm-up rounds, measured rounds.
 */
public final class CrossNodeCollapseBenchmark {
  private CrossNodeCollapseBenchmark() {}

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int size = args.length > 1 ? Integer.parseInt(args[1]) : 1024 * 1024;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    TerracottaServer server = TerracottaServer.shared();
    double[] ownerSide = new double[0];
    double[] otherSide = new double[0];
    double[] locked = new double[0];
    double[] written = new double[0];
    int fills = 0;
    try (TwoNodes nodes = new TwoNodes(server.uri("collapse-bench"), size, 10_000)) {
      for (int r = 0; r < warmup + rounds; r++) {
        String key = "/bench/collapse/" + r;
        nodes.a().send("collapse " + key + " " + threads);
        nodes.b().send("collapse " + key + " " + threads);
        TwoNodes.Round a = TwoNodes.Round.parse(nodes.a().answer(300));
        TwoNodes.Round b = TwoNodes.Round.parse(nodes.b().answer(300));
        if (a.fills() + b.fills() != 1 || a.bad() + b.bad() != 0 || a.ok() + b.ok() != 2 * threads - 1) {
          throw new IllegalStateException("round " + r + ": " + a + " / " + b);
        }
        if (r >= warmup) {
          fills += a.fills() + b.fills();
          TwoNodes.Round owner = a.fills() == 1 ? a : b;
          TwoNodes.Round other = owner == a ? b : a;
          ownerSide = concat(ownerSide, owner.lastByteMillis());
          locked = concat(locked, new double[] {owner.ownerMillis()[0]});
          written = concat(written, new double[] {owner.ownerMillis()[1]});
          otherSide = concat(otherSide, other.lastByteMillis());
        }
      }
    }
    System.out.printf(Locale.ROOT, "%nCross-node collapse: 2 JVMs x %d lookups, %d bytes, %d rounds; origin fills %d (%d per round)%n",
        threads, size, rounds, fills, fills / rounds);
    System.out.printf(Locale.ROOT, "%-28s %8s %8s %8s %8s %8s%n", "ms from the round's start", "count", "p50", "p90",
        "p99", "max");
    row("owner's node", ownerSide);
    row("other node", otherSide);
    row("all readers", concat(ownerSide, otherSide));
    row("owner: key locked", locked);
    row("owner: body written", written);
    System.exit(0);
  }

  private static void row(String name, double[] ms) {
    double[] s = ms.clone();
    Arrays.sort(s);
    System.out.printf(Locale.ROOT, "%-28s %8d %8.2f %8.2f %8.2f %8.2f%n", name, s.length, pct(s, 50), pct(s, 90),
        pct(s, 99), s[s.length - 1]);
  }

  private static double pct(double[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, i)];
  }

  private static double[] concat(double[] a, double[] b) {
    double[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
