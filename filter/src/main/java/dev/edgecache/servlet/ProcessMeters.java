package dev.edgecache.servlet;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The JVM's and the process's meters, as Micrometer's binders make them ({@code jvm_memory_*},
 * {@code jvm_gc_*}, {@code jvm_threads_*}, {@code jvm_classes_*}, {@code process_cpu_*},
 * {@code process_uptime_seconds}, {@code process_files_*}, {@code system_cpu_*}): what a
 * Prometheus user expects beside the cache's own. Bound to a registry the edge made itself, never
 * to an application's, which binds its own. Loaded only when Micrometer is on the class path.
 */
public final class ProcessMeters {
  private ProcessMeters() {}

  /**
   * Binds them to {@code registry}.
   *
   * @return what stops the garbage collector's listener when the registry goes
   */
  public static AutoCloseable bind(MeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    return gc;
  }
}
