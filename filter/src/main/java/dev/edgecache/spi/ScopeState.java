package dev.edgecache.spi;

/**
 * Where a purge scope stands (see {@link Generations#scope}): a scope is a name that objects
 * belong to, such as a host or a path prefix, purged in one step whatever the number of its
 * objects. An object records each of its scopes' {@link #generation} when its fill starts; at
 * lookup that stamp is compared with the scope's state.
 *
 * <ul>
 *   <li>stamp equal to {@code generation}: no purge of the scope since; the object stands;
 *   <li>stamp below {@code hardGeneration}, or above {@code generation} (a counter that was lost
 *       and made again): purged;
 *   <li>otherwise only soft purges came after the stamp: the object is stale from the first of
 *       them on ({@link #softPurgedAt}).
 * </ul>
 *
 * @param generation bumped by every purge of the scope
 * @param hardGeneration the generation the last hard purge left; stamps below it are purged
 * @param firstSoftAtMillis the earliest soft purge since the last hard one (epoch millis), or -1
 * @param lastSoftAtMillis the latest soft purge since the last hard one (epoch millis), or -1
 */
public record ScopeState(long generation, long hardGeneration, long firstSoftAtMillis, long lastSoftAtMillis) {
  /** A scope never purged, in a store whose counters are never lost. */
  public static final ScopeState NEW = new ScopeState(0, 0, -1, -1);
  /** What a lost counter reads as: it purges every stamp, since none can be trusted. */
  public static final ScopeState LOST = new ScopeState(-2, Long.MAX_VALUE, -1, -1);

  /** Whether an object stamped {@code stamp} is purged for good. */
  public boolean purges(long stamp) {
    return stamp > generation || stamp < hardGeneration;
  }

  /** Whether an object stamped {@code stamp} is stale by a soft purge (and not purged). */
  public boolean softPurges(long stamp) {
    return !purges(stamp) && stamp != generation;
  }

  /**
   * When an object stamped {@code stamp} and made at {@code createdAtMillis} became stale, for a
   * stamp that {@link #softPurges}: exactly the last soft purge when that is the only purge since
   * the stamp; otherwise the earliest since the last hard purge, but not before the object was
   * made. Never later than the first soft purge after the stamp, so its stale windows never run
   * longer than they should.
   */
  public long softPurgedAt(long stamp, long createdAtMillis) {
    if (stamp == generation - 1) {
      return lastSoftAtMillis;
    }
    return Math.max(firstSoftAtMillis, createdAtMillis);
  }

  /** The state after a purge at {@code atMillis}: a hard one, or a soft one. */
  public ScopeState purged(boolean soft, long atMillis) {
    long next = generation + 1;
    if (!soft) {
      return new ScopeState(next, next, -1, -1);
    }
    return new ScopeState(next, hardGeneration, firstSoftAtMillis >= 0 ? firstSoftAtMillis : atMillis, atMillis);
  }
}
