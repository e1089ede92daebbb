package dev.edgecache.store.ehcache;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import org.ehcache.CacheManager;
import org.ehcache.config.Configuration;
import org.ehcache.config.ResourceType;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.core.EhcacheManager;
import org.ehcache.core.spi.service.ExecutionService;
import org.ehcache.impl.config.executor.PooledExecutionServiceConfiguration;
import org.ehcache.impl.config.store.disk.OffHeapDiskStoreConfiguration;
import org.ehcache.impl.internal.executor.OnDemandExecutionService;
import org.ehcache.spi.service.Service;
import org.ehcache.spi.service.ServiceProvider;

/**
 * Ehcache's executors, with back-pressure on the disk tier's writers. Ehcache's disk store copies
 * each value to the heap and queues it for a writer thread on an unbounded queue, so a writer
 * faster than the disk fills the heap with pending copies (a 2 GiB body in a 256 MiB heap ran out
 * of memory that way). The disk tiers of the store's own caches name the pool {@link #ALIAS}; its
 * queues hold at most {@link #PENDING} writes, and a put beyond that waits for the disk. Every other
 * executor (event delivery, expiry) is Ehcache's own, unchanged: a listener that writes to a cache
 * must never wait on its own queue.
 */
final class BoundedDiskWrites implements ExecutionService {
  /** The thread pool alias of the store's disk tiers. */
  static final String ALIAS = "edgecache-disk-writer";
  /** Pending writes per disk writer: 32 chunks, 2 MiB of heap. */
  static final int PENDING = 32;

  private final OnDemandExecutionService delegate = new OnDemandExecutionService();

  /** The disk store configuration that routes a cache's disk writes through the bounded pool. */
  static OffHeapDiskStoreConfiguration diskStore() {
    return new OffHeapDiskStoreConfiguration(ALIAS, OffHeapDiskStoreConfiguration.DEFAULT_WRITER_CONCURRENCY,
        OffHeapDiskStoreConfiguration.DEFAULT_DISK_SEGMENTS);
  }

  /**
   * A CacheManager, not yet initialised, for a configuration read from XML, whose disk tiers
   * write through the bounded pool, keeping the writer concurrency and segments the file sets. A
   * file that declares {@code <thread-pools>} manages its executors itself and is used as it is:
   * Ehcache's pooled executors and this service cannot both serve one manager.
   */
  static CacheManager manager(Configuration xml) {
    if (xml.getServiceCreationConfigurations().stream().anyMatch(PooledExecutionServiceConfiguration.class::isInstance)) {
      return CacheManagerBuilder.newCacheManager(xml);
    }
    Configuration bounded = xml.derive().updateCaches(cache -> {
      if (!cache.build().getResourcePools().getResourceTypeSet().contains(ResourceType.Core.DISK)) {
        return cache;
      }
      OffHeapDiskStoreConfiguration given = cache.getService(OffHeapDiskStoreConfiguration.class);
      OffHeapDiskStoreConfiguration ours = given == null ? diskStore()
          : new OffHeapDiskStoreConfiguration(ALIAS, given.getWriterConcurrency(), given.getDiskSegments());
      return cache.withoutServices(OffHeapDiskStoreConfiguration.class).withService(ours);
    }).build();
    return new EhcacheManager(bounded, List.of(new BoundedDiskWrites()));
  }

  @Override
  public ScheduledExecutorService getScheduledExecutor(String alias) {
    return delegate.getScheduledExecutor(alias);
  }

  @Override
  public ExecutorService getOrderedExecutor(String alias, BlockingQueue<Runnable> queue) {
    return delegate.getOrderedExecutor(alias, ALIAS.equals(alias) ? new WaitingQueue(PENDING) : queue);
  }

  @Override
  public ExecutorService getUnorderedExecutor(String alias, BlockingQueue<Runnable> queue) {
    return delegate.getUnorderedExecutor(alias, queue);
  }

  @Override
  public void start(ServiceProvider<Service> serviceProvider) {
    delegate.start(serviceProvider);
  }

  @Override
  public void stop() {
    delegate.stop();
  }

  /**
   * A bounded queue whose {@code offer}, the call a thread pool makes to queue a task, waits for
   * room instead of refusing: the caller of the cache operation is slowed down to the disk's pace.
   * The pool's single worker never offers to its own queue, so the wait always ends.
   */
  private static final class WaitingQueue extends LinkedBlockingQueue<Runnable> {
    private static final long serialVersionUID = 1L;

    WaitingQueue(int capacity) {
      super(capacity);
    }

    @Override
    public boolean offer(Runnable task) {
      try {
        put(task);
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
